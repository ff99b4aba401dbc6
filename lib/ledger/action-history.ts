import { IdempotencyConfig, IdempotencyItemNotFoundError } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { ConditionalCheckFailedException, GetItemCommand, ScanCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { KEY_PREFIX } from './action-records.js';
import { createIntents } from './intents.js';
import { orderItemId } from './order-leases.js';

const RecordedResponse = z.object({
  outcome: z.object({
    status: z.enum(['SUCCESS', 'FAILED']),
    errors: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
  }),
});
export type RecordedStatus = z.infer<typeof RecordedResponse>['outcome'];

/** What the ledger knows about one action (for operators: `npm run ops -- action:status`). */
export interface ActionHistory {
  /** The action record (Powertools idempotency): absent when the action never ran, or ran more than 15 days ago. */
  record?: {
    status: 'INPROGRESS' | 'COMPLETED' | 'EXPIRED';
    /** The outcome recorded before it was reported. */
    outcome?: RecordedStatus;
    expiresAt?: Date;
    /** An in-progress record belongs to an invocation until then; after, a redelivery takes over. */
    inProgressUntil?: Date;
  };
  /** The action's order item (`order#<store>#<order>`), when the order is known. */
  order?: {
    key: string;
    /** Connect took the action's final report: a copy of it is skipped. */
    reported: boolean;
    /** Some action on this order holds it until then. */
    leasedUntil?: Date;
  };
  /** What the action set out to do before a call that is not safe to repeat. */
  intent?: Record<string, unknown>;
}

/**
 * The ledger seen from outside the functions: what an action's record, its order's item and its intent say,
 * and how to let an action act again (a forced replay).
 */
export const createActionHistories = (options: { tableName: string; client: DynamoDBClient }) => {
  const { tableName, client } = options;
  const records = new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
  records.configure({ config: new IdempotencyConfig({ eventKeyJmesPath: 'actionId' }), keyPrefix: KEY_PREFIX });
  const intents = createIntents({ tableName, client });

  const readRecord = async (actionId: string): Promise<ActionHistory['record']> => {
    try {
      const record = await records.getRecord({ actionId });
      const response = RecordedResponse.safeParse(record.responseData);
      return {
        status: record.getStatus(),
        ...(response.success && { outcome: response.data.outcome }),
        ...(record.expiryTimestamp !== undefined && { expiresAt: new Date(record.expiryTimestamp * 1000) }),
        ...(record.inProgressExpiryTimestamp !== undefined && { inProgressUntil: new Date(record.inProgressExpiryTimestamp) }),
      };
    } catch (error) {
      if (error instanceof IdempotencyItemNotFoundError) return undefined;
      throw error;
    }
  };

  const readOrder = async (orderKey: string, actionId: string): Promise<ActionHistory['order']> => {
    const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: orderItemId(orderKey) } }, ConsistentRead: true }));
    if (!Item) return undefined;
    const leasedUntil = Item.lease_owner && Item.lease_until?.N ? Number(Item.lease_until.N) : undefined;
    return {
      key: orderKey,
      reported: Item.reported?.SS?.includes(actionId) ?? false,
      ...(leasedUntil !== undefined && leasedUntil > Date.now() && { leasedUntil: new Date(leasedUntil) }),
    };
  };

  return {
    async read(actionId: string, orderKey?: string): Promise<ActionHistory> {
      const [record, order, intent] = await Promise.all([
        readRecord(actionId),
        orderKey === undefined ? undefined : readOrder(orderKey, actionId),
        intents(actionId).recall(),
      ]);
      return { ...(record && { record }), ...(order && { order }), ...(intent && { intent }) };
    },

    /** The order whose item notes the action as reported, found by scanning the table (no order given). */
    async findReportingOrder(actionId: string): Promise<string | undefined> {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: 'begins_with(id, :order) AND contains(reported, :action)',
            ExpressionAttributeValues: { ':order': { S: orderItemId('') }, ':action': { S: actionId } },
            ProjectionExpression: 'id',
            ExclusiveStartKey: start,
          }),
        );
        const id = page.Items?.[0]?.id?.S;
        if (id !== undefined) return id.slice(orderItemId('').length);
        start = page.LastEvaluatedKey;
      } while (start);
      return undefined;
    },

    /**
     * Lets the action act again when it is delivered next: deletes its recorded outcome and its mark as reported on
     * the order. Its intent stays, so the channel adapter still reconciles with what an earlier attempt did.
     */
    async forget(actionId: string, orderKey: string): Promise<void> {
      await records.deleteRecord({ actionId });
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { id: { S: orderItemId(orderKey) } },
            UpdateExpression: 'DELETE reported :action',
            // Without the condition, an order never seen would get an empty item.
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeValues: { ':action': { SS: [actionId] } },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
};

export type ActionHistories = ReturnType<typeof createActionHistories>;
