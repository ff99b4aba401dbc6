import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RECORD_LIFETIME_SECONDS } from './action-ledger.js';

/**
 * What an action set out to do, written before a call that is not safe to repeat (invariant 3): e.g. the
 * refund ids a line had before OR28, or the S3 key of an archived document. A redelivery after a crash or
 * a lost response reads it back and reconciles with what the channel shows instead of acting again.
 */
export interface Intent {
  remember(value: Record<string, unknown>): Promise<void>;
  recall<T extends Record<string, unknown>>(): Promise<T | undefined>;
}

export type IntentsOf = (actionId: string) => Intent;

/** Intents live in the idempotency table (`intent#<action id>`), as long as the action records. */
export const createIntents = (options: {
  tableName: string;
  client: DynamoDBClient;
  now?: () => number;
}): IntentsOf => {
  const now = options.now ?? Date.now;
  return (actionId) => {
    const key = { id: { S: `intent#${actionId}` } };
    return {
      async remember(value) {
        await options.client.send(
          new PutItemCommand({
            TableName: options.tableName,
            Item: {
              ...key,
              intent: { S: JSON.stringify(value) },
              expiration: { N: String(Math.floor(now() / 1000) + RECORD_LIFETIME_SECONDS) },
            },
          }),
        );
      },
      async recall<T extends Record<string, unknown>>() {
        const { Item } = await options.client.send(
          new GetItemCommand({ TableName: options.tableName, Key: key, ConsistentRead: true }),
        );
        return Item?.intent?.S ? (JSON.parse(Item.intent.S) as T) : undefined;
      },
    };
  };
};
