import {
  ConditionalCheckFailedException,
  GetItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Outcome } from '../outcome.js';
import { orderItemId, outcomeAttribute, recordedOutcome } from './action-ledger.js';
import { createIntents } from './intents.js';

export type RecordedStatus = Outcome;

/** What the ledger knows about one action (for operators: `npm run ops -- action:status`). */
export interface ActionHistory {
  /** The action's record on its order: absent when the action never ran, or its order saw no action in 15 days. */
  record?: {
    /** INPROGRESS: an invocation holds the order for it; COMPLETED: its outcome is recorded. */
    status: 'INPROGRESS' | 'COMPLETED';
    /** The outcome recorded when it was known. */
    outcome?: RecordedStatus;
    expiresAt?: Date;
    /** An invocation holds the order for it until then; after, a redelivery takes over. */
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
 * The ledger seen from outside the functions: what an action's order item and its intent say, and how to let
 * an action act again (a forced replay).
 */
export const createActionHistories = (options: { tableName: string; client: DynamoDBClient }) => {
  const { tableName, client } = options;
  const intents = createIntents({ tableName, client });

  const readOrderItem = async (
    orderKey: string,
    actionId: string,
  ): Promise<Pick<ActionHistory, 'record' | 'order'>> => {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { id: { S: orderItemId(orderKey) } }, ConsistentRead: true }),
    );
    if (!Item) return {};
    const leasedUntil = Item.lease_owner && Item.lease_until?.N ? Number(Item.lease_until.N) : undefined;
    const held = leasedUntil !== undefined && leasedUntil > Date.now() ? new Date(leasedUntil) : undefined;
    const outcome = recordedOutcome(Item, actionId);
    const expiresAt = Item.expiration?.N ? new Date(Number(Item.expiration.N) * 1000) : undefined;
    const inProgress = held !== undefined && Item.lease_action?.S === actionId;
    return {
      ...((outcome || inProgress) && {
        record: {
          status: outcome ? 'COMPLETED' : 'INPROGRESS',
          ...(outcome && { outcome }),
          ...(expiresAt && { expiresAt }),
          ...(inProgress && { inProgressUntil: held }),
        },
      }),
      order: {
        key: orderKey,
        reported: Item.reported?.SS?.includes(actionId) ?? false,
        ...(held && { leasedUntil: held }),
      },
    };
  };

  return {
    async read(actionId: string, orderKey?: string): Promise<ActionHistory> {
      const [found, intent] = await Promise.all([
        orderKey === undefined ? {} : readOrderItem(orderKey, actionId),
        intents(actionId).recall(),
      ]);
      return { ...found, ...(intent && { intent }) };
    },

    /** The order whose item records the action, found by scanning the table (no order given). */
    async findReportingOrder(actionId: string): Promise<string | undefined> {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: 'begins_with(id, :order) AND (contains(reported, :action) OR attribute_exists(#outcome))',
            ExpressionAttributeNames: { '#outcome': outcomeAttribute(actionId) },
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
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { id: { S: orderItemId(orderKey) } },
            UpdateExpression: 'REMOVE #outcome DELETE reported :action',
            // Without the condition, an order never seen would get an empty item.
            ConditionExpression: 'attribute_exists(id)',
            ExpressionAttributeNames: { '#outcome': outcomeAttribute(actionId) },
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
