export { AnonymizeAfterOrder, createAnonymizeAfterClient, MAX_ORDERS_PER_CALL } from './anonymize.js';
export type { AnonymizeAfterClient, AnonymizeAfterResult } from './anonymize.js';
export { ActionPayloads, ActionTarget, ConnectEvent, describeInvalid, isActionType } from './events.js';
export type { ActionPayload, ActionType } from './events.js';
export { createConnectClient } from './reports.js';
export type { ConnectClient, ReportResult } from './reports.js';
export { createTokenProvider } from './token.js';
export type { TokenProvider } from './token.js';
export { connectClientFromConfig, tokensFromConfig } from './from-config.js';
