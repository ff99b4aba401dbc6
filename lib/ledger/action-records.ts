import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { ActionErrorCode, ActionFailure, type Outcome } from '../outcome.js';

/**
 * Records outlive every copy of a message: 4 days on the events queue, then up to 14 days in the DLQ
 * (whose retention counts from the first send), with a day to spare.
 */
export const RECORD_LIFETIME_SECONDS = 15 * 24 * 60 * 60;

/** Shared by every function that settles order actions, so the DLQ backstop sees what orderActions recorded. */
export const KEY_PREFIX = 'order-action';

export interface RecordedOutcome {
  outcome: Outcome;
  /** True when the outcome was recorded earlier and `perform` did not run now. */
  replayed: boolean;
}

export interface ActionRecords {
  /**
   * Runs `perform` at most once per action id and records its outcome before returning it (Powertools
   * idempotency, keyed by `action_id`). A later call for the same action returns the recorded outcome
   * without running `perform`. When `perform` throws (a transient failure), the in-progress record is
   * deleted so a redelivery runs it again; the record of an invocation that crashed expires with that
   * invocation's remaining time.
   */
  once(actionId: string, perform: () => Promise<Outcome>): Promise<RecordedOutcome>;
  /** Binds in-progress records to the current invocation. */
  registerLambdaContext(context: Context): void;
}

export const createActionRecords = (options: { tableName: string; client: DynamoDBClient }): ActionRecords => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'actionId',
    expiresAfterSeconds: RECORD_LIFETIME_SECONDS,
    throwOnNoIdempotencyKey: true,
    responseHook: (response) => ({ ...(response as object), replayed: true }),
  });
  const run = makeIdempotent(
    async (_key: { actionId: string }, perform: () => Promise<Outcome>) => ({ outcome: await perform(), replayed: false }),
    {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: options.tableName, awsSdkV3Client: options.client }),
      keyPrefix: KEY_PREFIX,
      dataIndexArgument: 0,
      config,
    },
  );

  return {
    async once(actionId, perform) {
      try {
        return (await run({ actionId }, perform)) as RecordedOutcome;
      } catch (error) {
        if (error instanceof IdempotencyAlreadyInProgressError) {
          throw new ActionFailure(ActionErrorCode.UNEXPECTED, `Action ${actionId} is in progress in another invocation`, {
            transient: true,
            retryAfterSeconds: 5,
          });
        }
        throw error;
      }
    },
    registerLambdaContext: (context) => config.registerLambdaContext(context),
  };
};
