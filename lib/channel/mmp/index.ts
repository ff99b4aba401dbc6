/** The MMP adapter of the Channel port (../port.ts): one marketplace, its shops routed by Connect store. */
export { createMmpArchiveSource } from './archive-source.js';
export {
  createMmpDirectory,
  findMmpStore,
  marketplaceReasonsOf,
  shopReasonMappings,
} from './directory.js';
export {
  CONNECT_REASONS,
  connectReasonOfLabel,
  REASON_CODES_VARIABLE,
  type ConnectReason,
  type MarketplaceReason,
  type MarketplaceReasons,
  type ReasonMapping,
  type ReasonType,
} from './reasons/index.js';
