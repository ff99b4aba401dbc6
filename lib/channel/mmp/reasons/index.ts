export { CONNECT_REASONS, connectReasonOfLabel, type ConnectReason } from './labels.js';
export {
  MarketplaceReason,
  REASON_CODES_VARIABLE,
  reasonMappings,
  unmappedReasons,
  type ReasonMapping,
  type ReasonSource,
  type ReasonType,
} from './lookup.js';
export {
  createMarketplaceReasons,
  type ConfiguredReasonCodes,
  type MarketplaceReasons,
} from './marketplace-reasons.js';
