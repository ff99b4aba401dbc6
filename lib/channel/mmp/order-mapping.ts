import type { ConnectOrder, ConnectReturn } from '../../connect/channel-orders.js';
import type { MmpImportedOrder, MmpImportedReturn } from './imported-order.js';

/** The marketplace's reason code of a cancelation or refund → Connect's adjustment `reason` (closed enum). */
export type ConnectReasonOf = (kind: 'CANCELATION' | 'REFUND', reasonCode: string | null | undefined) => string;

/**
 * MMP order → the complete Connect order (MIRAKL-SYNC.md §6.1–6.3), a pure function.
 * STUB (interface only): the import-mapping work implements it.
 */
export const toConnectOrder = (order: MmpImportedOrder, _options: { reasonOf?: ConnectReasonOf } = {}): ConnectOrder => {
  throw new Error(`toConnectOrder is not built yet (order ${order.order_id})`);
};

/** MMP return (RT11) → Connect return (MIRAKL-SYNC.md §6.4). STUB (interface only). */
export const toConnectReturn = (mmpReturn: MmpImportedReturn): ConnectReturn => {
  throw new Error(`toConnectReturn is not built yet (return ${mmpReturn.id})`);
};
