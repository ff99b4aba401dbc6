/**
 * The configuration contract (ARCHITECTURE.md): every environment variable, validated once at cold start. One
 * reader per function (read*Config), built from the sections it uses; each field says its default and why.
 */
export { ConfigError } from './read.js';
export type { SourceConfig } from './read.js';
export type { ConnectConfig, ConnectSellerConfig } from './connect.js';
export { readMmpConfig, storesSchema } from './mmp.js';
export type { MmpConfig, StoreEntry } from './mmp.js';
export type { ArchiveConfig, RuntimeConfig } from './aws.js';
export { readOrderActionsConfig } from './order-actions.js';
export type { OrderActionsConfig } from './order-actions.js';
export { readDeadLettersConfig } from './order-actions-dead-letters.js';
export { readAnonymizationConfig, readAnonymizationProducerConfig } from './anonymization.js';
export type { AnonymizationConfig, AnonymizationRulesConfig } from './anonymization.js';
export {
  readDocumentArchiveConfig,
  readDocumentArchiveProducerConfig,
  readOperationsSourceConfig,
} from './document-archive.js';
export type { ConnectUploadConfig, DocumentArchiveConfig, OperationsConfig } from './document-archive.js';
export { readOrderSourceConfig } from './order-source.js';
export type { OrderSourceConfig, PurchaseOrderConfig } from './order-source.js';
export {
  readChannelDocumentsConfig,
  readImportDocumentsConfig,
  readOrderRefreshConfig,
  readOrderRefreshProducerConfig,
  readOrderSyncConfig,
} from './import.js';
export type { ChannelDocumentsConfig, ImportConfig, OrderRefreshConfig, OrderSyncConfig } from './import.js';
