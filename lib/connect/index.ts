export { AnonymizeAfterOrder, createAnonymizeAfterClient, MAX_ORDERS_PER_CALL } from './anonymize.js';
export type { AnonymizeAfterClient, AnonymizeAfterResult } from './anonymize.js';
export {
  ActionPayloads,
  ActionTarget,
  ConnectEvent,
  describeInvalid,
  isActionType,
  readOrderAction,
} from './events.js';
export type { ActionPayload, ActionType, OrderAction, OrderActionOf } from './events.js';
export { createConnectClient } from './reports.js';
export type { ConnectClient, ReportResult } from './reports.js';
export { createTokenProvider, withToken } from './token.js';
export type { TokenProvider } from './token.js';
export {
  CHANNEL_DOCUMENT_CONTENT_TYPES,
  ChannelDocumentNotAccepted,
  channelDocumentContentType,
  channelDocumentRefusal,
  createChannelDocumentsClient,
  MAX_CHANNEL_DOCUMENT_BYTES,
} from './channel-documents.js';
export type {
  ChannelDocumentOrigin,
  ChannelDocumentsClient,
  ChannelDocumentType,
  ChannelDocumentUpload,
} from './channel-documents.js';
export { channelDocumentsClientFromConfig, connectClientFromConfig, tokensFromConfig } from './from-config.js';
export { createOrderDocumentsClient, orderDocumentsClientFromConfig } from './order-documents.js';
export type { OrderDocumentsClient } from './order-documents.js';
export { createUpsertClient } from './upserts.js';
export type { ReturnRefusal, UpsertClient, UpsertOrdersResult, UpsertReturnsResult } from './upserts.js';
export { ConnectOrderSchema, ConnectReturnSchema, describeInvalidBody, MAX_UPSERT_ITEMS } from './channel-orders.js';
export type { ConnectOrder, ConnectOrigin, ConnectReturn } from './channel-orders.js';
