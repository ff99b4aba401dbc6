export {
  channelDocumentIdOf,
  connectDocumentType,
  connectFileName,
  invoiceTypesOf,
  returnDocumentsOf,
} from './document-types.js';
export { channelDocumentSyncFromConfig } from './from-config.js';
export { createMmpMarketplaceDocuments } from './marketplace.js';
export type { MarketplaceDocuments } from './marketplace.js';
export { planOrderDocuments } from './plan.js';
export type { ListedDocument, OrderDocumentsPlan } from './plan.js';
export { createChannelDocumentSync } from './sync.js';
export type {
  ChannelDocumentSync,
  DocumentSyncFailure,
  DocumentSyncResult,
  DocumentSyncServices,
  OrderToSync,
} from './sync.js';
