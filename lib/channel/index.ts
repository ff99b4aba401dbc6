/**
 * The Channel port, the connector's face towards a sales channel. Its adapters live in their own folders and are
 * imported from there: mmp/ (Mirakl MMP). purchase-order/ and operations/ are other systems the connector reads
 * (an order source, a document source), imported from their folders too.
 */
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
