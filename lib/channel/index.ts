export type {
  Acceptance,
  Adjustment,
  AdjustmentLine,
  ChannelDirectory,
  LineDecision,
  Money,
  OrderDocument,
  ReturnDecision,
  ReturnRef,
  ReturnTracking,
  SalesChannel,
  Shipment,
  ShipmentLine,
  Tax,
} from './port.js';
export { createMmpDirectory, marketplaceReasonsOf, shopReasonMappings } from './mmp/index.js';
export {
  CONNECT_REASONS,
  connectReasonOfLabel,
  REASON_CODES_VARIABLE,
  type ConnectReason,
  type MarketplaceReason,
  type MarketplaceReasons,
  type ReasonMapping,
  type ReasonType,
} from './mmp/reasons/index.js';
export { createMmpArchiveSource } from './mmp/archive-source.js';
export { createPurchaseOrderSource } from './purchase-order/index.js';
export { createOperationsArchiveSource } from './operations/index.js';
