import type {
  ConnectOrderStatus,
  ConnectReturnLineReason,
  ConnectReturnRejection,
  ConnectReturnStatus,
  ConnectStatusReason,
} from '../../connect/channel-orders.js';

/** A Connect status and, when it says more, its reason. */
export interface ConnectState {
  status: ConnectOrderStatus;
  status_reason?: ConnectStatusReason;
}

/** What decides the states that depend on more than the MMP state name (MIRAKL-SYNC.md §6.3). */
export interface StateFacts {
  fullyRefunded: boolean;
  /** Null when the marketplace refused (or accepted) the order automatically. */
  acceptanceDecided: boolean;
  shipped: boolean;
  received: boolean;
}

/**
 * MMP `order_state` / `order_line_state` → Connect status (MIRAKL-SYNC.md §6.3): one table for orders and lines
 * (REFUNDED and INCIDENT_OPEN happen on lines only). The deprecated WAITING_REFUND* and any state MMP adds later
 * are CHANNEL_SPECIFIC: MMP's enums are open.
 */
const STATES: Record<string, (facts: StateFacts) => ConnectState> = {
  STAGING: () => ({ status: 'AWAITING_FRAUD_CHECK' }),
  WAITING_ACCEPTANCE: () => ({ status: 'AWAITING_ACCEPTANCE' }),
  WAITING_DEBIT: () => ({ status: 'AWAITING_PAYMENT' }),
  WAITING_DEBIT_PAYMENT: () => ({ status: 'AWAITING_PAYMENT' }),
  SHIPPING: () => ({ status: 'AWAITING_SHIPMENT' }),
  SHIPPED: () => ({ status: 'SHIPPED' }),
  // Handed over, waiting at a pickup point for the buyer: shipped, as far as the seller is concerned.
  TO_COLLECT: () => ({ status: 'SHIPPED' }),
  RECEIVED: () => ({ status: 'DELIVERED' }),
  CLOSED: ({ fullyRefunded }) => ({
    status: 'CLOSED',
    status_reason: fullyRefunded ? 'REFUNDED' : 'AUTOMATICALLY_CLOSED',
  }),
  REFUSED: ({ acceptanceDecided }) => ({
    status: 'CLOSED',
    status_reason: acceptanceDecided ? 'REFUSED' : 'ACCEPTANCE_TIMEOUT',
  }),
  CANCELED: () => ({ status: 'CLOSED', status_reason: 'CANCELED' }),
  REFUNDED: () => ({ status: 'CLOSED', status_reason: 'REFUNDED' }),
  INCIDENT_OPEN: ({ shipped, received }) => ({
    status: received ? 'DELIVERED' : shipped ? 'SHIPPED' : 'CHANNEL_SPECIFIC',
  }),
};

export const connectStateOf = (mmpState: string, facts: StateFacts): ConnectState =>
  Object.hasOwn(STATES, mmpState)
    ? (STATES[mmpState] as (facts: StateFacts) => ConnectState)(facts)
    : { status: 'CHANNEL_SPECIFIC' };

/** RT11 `state` → Connect return status (§6.4). A canceled return is over: CLOSED, so no action stays open on it. */
const RETURN_STATUSES: Record<string, ConnectReturnStatus> = {
  WAITING_ACCEPTANCE: 'REQUEST_INITIATED',
  IN_PROGRESS: 'OPENED',
  REFUSED: 'REQUEST_DECLINED',
  RECEIVED: 'RECEIVED',
  CLOSED: 'CLOSED',
  CANCELED: 'CLOSED',
};

export const connectReturnStatusOf = (mmpState: string): ConnectReturnStatus =>
  Object.hasOwn(RETURN_STATUSES, mmpState) ? (RETURN_STATUSES[mmpState] as ConnectReturnStatus) : 'CHANNEL_SPECIFIC';

const REJECTIONS: Record<string, ConnectReturnRejection> = {
  RETURN_REJECTION_NOT_ELIGIBLE: 'NOT_ELIGIBLE_FOR_RETURN',
  RETURN_REJECTION_WINDOW_CLOSED: 'RETURN_WINDOW_CLOSED',
};

/** RT11 `rejection_reason_code` → Connect `rejection_reason`; any other code (NOT_NEEDED, new ones) is OTHER. */
export const connectRejectionOf = (code: string): ConnectReturnRejection =>
  Object.hasOwn(REJECTIONS, code) ? (REJECTIONS[code] as ConnectReturnRejection) : 'OTHER';

const LINE_REASONS: Record<string, ConnectReturnLineReason> = {
  RETURN_BROKEN_ITEM: 'DAMAGED_ITEM',
  RETURN_DAMAGED_PACKAGING: 'DAMAGED_ITEM',
  RETURN_DEFECTIVE_ITEM: 'DEFECTIVE_ITEM',
  RETURN_DEFECTIVE_ON_ARRIVAL: 'DEFECTIVE_ITEM',
  RETURN_WARRANTY: 'DEFECTIVE_ITEM',
  RETURN_MISSING_ITEM: 'MISSING_ITEM',
  RETURN_DELIVERED_PRODUCT_DIFFERENT: 'WRONG_ITEM',
  RETURN_DPD_WRONG_SIZE: 'WRONG_ITEM',
  RETURN_DPD_WRONG_COLOR: 'WRONG_ITEM',
  RETURN_INACCURATE_ITEM_DESCRIPTION: 'WRONG_ITEM',
  RETURN_COUNTERFEIT_ITEM: 'WRONG_ITEM',
  RETURN_CHANGED_MIND: 'UNWANTED_ITEM',
  RETURN_CM_DONT_WANT: 'UNWANTED_ITEM',
  RETURN_CM_DONT_LIKE: 'UNWANTED_ITEM',
  RETURN_CM_QUALITY: 'UNWANTED_ITEM',
  RETURN_PRODUCT_DOES_NOT_FIT: 'UNWANTED_ITEM',
  RETURN_PDNT_TOO_BIG: 'UNWANTED_ITEM',
  RETURN_PDNT_TOO_SMALL: 'UNWANTED_ITEM',
};

/** RT11 return-line `reason_code` → Connect return-line `reason`; RETURN_OTHER, unknown or absent is OTHER. */
export const connectReturnReasonOf = (code: string | null | undefined): ConnectReturnLineReason =>
  code && Object.hasOwn(LINE_REASONS, code) ? (LINE_REASONS[code] as ConnectReturnLineReason) : 'OTHER';
