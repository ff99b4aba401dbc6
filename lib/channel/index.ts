export type { ChannelDirectory, SalesChannel, Shipment, ShipmentLine } from './port.js';
export { createMmpDirectory } from './mmp/index.js';
