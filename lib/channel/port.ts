/**
 * The Channel port: what a sales channel must do for the connector. Adapters (MMP first) implement it and
 * throw `ActionFailure` for refusals and outages, with the Connect error code already chosen.
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

export interface SalesChannel {
  /** Ships the order (or confirms it was already shipped with this shipment). */
  ship(shipment: Shipment): Promise<void>;
}

/** Finds the channel serving a Connect store (invariant 9). */
export interface ChannelDirectory {
  /** Throws `ActionFailure` DATA_NOT_FOUND for a store this deployment does not serve. */
  forStore(channelStoreId: string): Promise<SalesChannel>;
}
