import type { Intent } from '../ledger/index.js';

/**
 * The Channel port: what a sales channel must do for the connector. Adapters implement it and throw
 * `ActionFailure` for refusals and outages, with the Connect error code already chosen. Methods whose channel
 * call is not safe to repeat take the action's `Intent`, to reconcile a redelivery (invariant 3).
 *
 * Implemented by: the MMP adapter, lib/channel/mmp/ (`createMmpDirectory` gives each Connect store its shop's channel).
 */
export interface ShipmentLine {
  channelOrderLineId: string;
  quantity: number;
}

export interface Shipment {
  channelOrderId: string;
  /** A carrier name as Connect sends it, e.g. `DHL Express`. */
  carrier: string;
  trackingNumber?: string;
  trackingUrl?: string;
  /** The lines shipped; absent means the whole order. */
  lines?: ShipmentLine[];
}

/** An order line's decision in an acceptance. */
export interface LineDecision {
  channelOrderLineId: string;
  accepted: boolean;
}

export interface Acceptance {
  channelOrderId: string;
  /** One decision per line of the order. */
  lines: LineDecision[];
}

export interface Money {
  amount: number;
  currency: string;
}

export interface Tax {
  code: string;
  amount: Money;
}

/** One line of a cancelation or a refund, with Connect's amounts (taxes and shipping excluded from `price`). */
export interface AdjustmentLine {
  channelOrderLineId: string;
  quantity: number;
  /** Connect's reason, e.g. `OUT_OF_STOCK`: the channel maps it to its own. */
  reason: string;
  price: Money;
  shippingPrice: Money;
  taxes: Tax[];
  shippingTaxes: Tax[];
}

/** A cancelation or a refund of some lines of an order. */
export interface Adjustment {
  channelOrderId: string;
  lines: AdjustmentLine[];
}

/** A return of an order, by the channel's return id. */
export interface ReturnRef {
  channelOrderId: string;
  channelReturnId: string;
}

export interface ReturnDecision extends ReturnRef {
  accepted: boolean;
  /** Connect's rejection reason, e.g. `RETURN_WINDOW_CLOSED`, when refused. */
  rejectionReason?: string;
}

export interface ReturnTracking extends ReturnRef {
  rmaId?: string;
  labelUrl?: string;
  /** A carrier name as Connect sends it. */
  carrier?: string;
  trackingNumber?: string;
  trackingUrl?: string;
}

/** A document to attach to an order, waiting in the function's temporary storage. */
export interface OrderDocument {
  channelOrderId: string;
  /** Connect's `document_type`, e.g. `CUSTOMER_INVOICE`: the channel maps it to its own. */
  documentType: string;
  /** Connect's `document_name`, any Unicode: the channel derives the name it can take. */
  name: string;
  /** What the document belongs to within the order, e.g. `{ id: <return id>, type: 'RETURN' }`. */
  entity?: { id: string; type: string };
  file: { path: string; size: number; sha256: string; contentType: string };
}

export interface SalesChannel {
  /** Ships the order, or part of it (or confirms it was already shipped with this shipment). */
  ship(shipment: Shipment, intent: Intent): Promise<void>;
  /** Accepts or refuses each line of an order awaiting acceptance. */
  accept(acceptance: Acceptance): Promise<void>;
  /** Cancels lines (in full or in part) of an order not shipped yet. */
  cancel(cancelation: Adjustment, intent: Intent): Promise<void>;
  /** Refunds lines of a shipped order. */
  refund(refund: Adjustment, intent: Intent): Promise<void>;
  acceptReturn(decision: ReturnDecision): Promise<void>;
  updateReturnTracking(tracking: ReturnTracking): Promise<void>;
  /** Records that the returned items arrived. */
  receiveReturn(ref: ReturnRef): Promise<void>;
  closeReturn(ref: ReturnRef): Promise<void>;
  /** Attaches a document to the order (or confirms it is already there). */
  attachDocument(document: OrderDocument): Promise<void>;
}

/** Finds the channel serving a Connect store (invariant 9). */
export interface ChannelDirectory {
  /** Throws `ActionFailure` DATA_NOT_FOUND for a store this deployment does not serve. */
  forStore(channelStoreId: string): Promise<SalesChannel>;
}
