import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { traced } from '../observability.js';
import { createActionLedger } from './action-ledger.js';
import { createIntents } from './intents.js';
import { createOrderDocumentLedger } from './order-documents.js';

export { createActionHistories } from './action-history.js';
export type { ActionHistories, ActionHistory, RecordedStatus } from './action-history.js';
export { createActionLedger, RECORD_LIFETIME_SECONDS } from './action-ledger.js';
export type { ActionLedger, Claim, Hold } from './action-ledger.js';
export { createIntents } from './intents.js';
export type { Intent, IntentsOf } from './intents.js';
export {
  createOrderDocumentLedger,
  OrderDocumentEntry,
  ORDER_DOCUMENTS_LIFETIME_SECONDS,
  orderDocumentsItemId,
} from './order-documents.js';
export type { OrderDocumentLedger, OrderDocumentsState } from './order-documents.js';

/** The action ledger (one item per order), the intents and what became of each order's documents, all in the idempotency table. */
export const createLedger = (tableName: string) => {
  const client = traced(new DynamoDBClient({}));
  return {
    ledger: createActionLedger({ tableName, client }),
    intents: createIntents({ tableName, client }),
    orderDocuments: createOrderDocumentLedger({ tableName, client }),
  };
};
