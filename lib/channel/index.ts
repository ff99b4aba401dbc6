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
export { createMmpDirectory } from './mmp/index.js';
export { createMmpArchiveSource } from './mmp/archive-source.js';
