import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { traced } from '../observability.js';
import { createActionRecords } from './action-records.js';
import { createIntents } from './intents.js';
import { createOrderDocumentLedger } from './order-documents.js';
import { createOrderLeases } from './order-leases.js';

export { createActionHistories } from './action-history.js';
export type { ActionHistories, ActionHistory, RecordedStatus } from './action-history.js';
export { createActionRecords, RECORD_LIFETIME_SECONDS } from './action-records.js';
export type { ActionRecords, RecordedOutcome } from './action-records.js';
export { createIntents } from './intents.js';
export type { Intent, IntentsOf } from './intents.js';
export { createOrderDocumentLedger, OrderDocumentEntry, ORDER_DOCUMENTS_LIFETIME_SECONDS, orderDocumentsItemId } from './order-documents.js';
export type { OrderDocumentLedger, OrderDocumentsState } from './order-documents.js';
export { createOrderLeases } from './order-leases.js';
export type { Lease, LeaseResult, OrderLeases } from './order-leases.js';

/** Action records, order leases, intents and what became of each order's documents, all in the idempotency table. */
export const createLedger = (tableName: string) => {
  const client = traced(new DynamoDBClient({}));
  return {
    records: createActionRecords({ tableName, client }),
    leases: createOrderLeases({ tableName, client }),
    intents: createIntents({ tableName, client }),
    orderDocuments: createOrderDocumentLedger({ tableName, client }),
  };
};
