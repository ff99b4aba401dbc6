import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { traced } from '../observability.js';
import { createActionRecords } from './action-records.js';
import { createIntents } from './intents.js';
import { createOrderLeases } from './order-leases.js';

export { createActionHistories } from './action-history.js';
export type { ActionHistories, ActionHistory, RecordedStatus } from './action-history.js';
export { createActionRecords, RECORD_LIFETIME_SECONDS } from './action-records.js';
export type { ActionRecords, RecordedOutcome } from './action-records.js';
export { createIntents } from './intents.js';
export type { Intent, IntentsOf } from './intents.js';
export { createOrderLeases } from './order-leases.js';
export type { Lease, LeaseResult, OrderLeases } from './order-leases.js';

/** Action records, order leases and intents, all in the idempotency table. */
export const createLedger = (tableName: string) => {
  const client = traced(new DynamoDBClient({}));
  return {
    records: createActionRecords({ tableName, client }),
    leases: createOrderLeases({ tableName, client }),
    intents: createIntents({ tableName, client }),
  };
};
