import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import type { Outcome } from '../outcome.js';

/**
 * Records outlive every copy of a message: 4 days on the events queue, then up to 14 days in the DLQ
 * (whose retention counts from the first send), with a day to spare.
 */
export const RECORD_LIFETIME_SECONDS = 15 * 24 * 60 * 60;

/** The id of an order's item in the idempotency table. */
export const orderItemId = (orderKey: string) => `order#${orderKey}`;

/** The attribute of the order's item that holds an action's outcome once it is known. */
export const outcomeAttribute = (actionId: string) => `outcome#${actionId}`;

const RecordedOutcome = z.union([
  z.object({ status: z.literal('SUCCESS') }),
  z.object({ status: z.literal('FAILED'), errors: z.array(z.object({ code: z.string(), message: z.string() })) }),
]);

/** The outcome an item records for an action, if any (a malformed one counts as none: the action runs again). */
export const recordedOutcome = (
  item: Record<string, AttributeValue> | undefined,
  actionId: string,
): Outcome | undefined => {
  const text = item?.[outcomeAttribute(actionId)]?.S;
  if (text === undefined) return undefined;
  const parsed = RecordedOutcome.safeParse(JSON.parse(text));
  return parsed.success ? (parsed.data as Outcome) : undefined;
};

const isReported = (item: Record<string, AttributeValue> | undefined, actionId: string): boolean =>
  item?.reported?.SS?.includes(actionId) ?? false;

/** The caller holds the order for one action until it releases it or `until` passes. */
export interface Hold {
  orderKey: string;
  actionId: string;
  /** Unique to this holder: two copies of one action in two invocations hold different claims. */
  token: string;
}

export type Claim =
  /** The action is ours to carry out; `recorded` is its outcome when an earlier delivery got that far. */
  | { kind: 'claimed'; hold: Hold; recorded?: Outcome }
  /** Another invocation is working on this order (perhaps on a copy of the same action): try again shortly. */
  | { kind: 'busy' }
  /** This action was carried out and reported: nothing to do. */
  | { kind: 'already-reported' };

export interface ActionLedger {
  claim(orderKey: string, actionId: string, until: number): Promise<Claim>;
  /**
   * Frees the order. With an outcome, records it first (a redelivery reports it without acting again); with
   * `reported`, also marks the action reported, so its copies stop at `claim`.
   */
  release(hold: Hold, result: { outcome?: Outcome; reported: boolean }): Promise<void>;
}

/**
 * One item per order (`order#<store>#<order id>`) in the idempotency table holds everything an action needs to
 * happen once (invariants 2, 4, 6): who holds the order and until when, the outcomes known, the actions reported.
 * An action costs two writes:
 *
 *   A: claim(order, a1)  ─ act on the channel ─ report ─ release(a1, outcome, reported)
 *   B: claim(order, a2)  → busy while A holds the order: handed back to SQS for a few seconds
 *   copy of a1 later: claim → the item it replaced says a1 is reported: freed again at once, skipped
 *   A's report fails:  release(a1, outcome, not reported) ─ the redelivery's claim returns the outcome: report it
 *   A crashes:         its hold ends at A's deadline; the redelivery acts again, and the channel adapter
 *                      reconciles (OR23/OR24/OR21 repeated are confirmed from the order's state, OR28/OR30/ST01/OR74
 *                      from the intent written before them), so the channel sees the effect once.
 *
 * The claim is one conditional write: the order is free (or its holder's deadline passed). Whether the action is
 * reported already is read from the item the claim replaced (ALL_OLD), not checked in the condition: on DynamoDB
 * both are free, but the `contains` condition nearly doubled the claim's cost on dynalite, and only copies, a few in
 * a hundred deliveries, need the answer (they pay a second write to free the order). Recording the outcome before
 * the report would only save the crash between report and release, which the adapters' reconciliation covers as it
 * covers the crash between the channel call and the report.
 */
export const createActionLedger = (options: {
  tableName: string;
  client: DynamoDBClient;
  now?: () => number;
}): ActionLedger => {
  const now = options.now ?? Date.now;
  const { tableName, client } = options;
  const key = (orderKey: string) => ({ id: { S: orderItemId(orderKey) } });
  const expiration = () => ({ N: String(Math.floor(now() / 1000) + RECORD_LIFETIME_SECONDS) });

  const release: ActionLedger['release'] = async (hold, { outcome, reported }) => {
    const sets = outcome ? ['#outcome = :outcome', 'expiration = :expiration'] : [];
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(hold.orderKey),
          UpdateExpression: [
            sets.length > 0 ? `SET ${sets.join(', ')}` : '',
            'REMOVE lease_owner, lease_action, lease_until',
            reported ? 'ADD reported :reported' : '',
          ].join(' '),
          ConditionExpression: 'lease_owner = :token',
          ...(outcome && { ExpressionAttributeNames: { '#outcome': outcomeAttribute(hold.actionId) } }),
          ExpressionAttributeValues: {
            ':token': { S: hold.token },
            ...(outcome && { ':outcome': { S: JSON.stringify(outcome) }, ':expiration': expiration() }),
            ...(reported && { ':reported': { SS: [hold.actionId] } }),
          },
        }),
      );
    } catch (error) {
      // Our hold ran out and another invocation holds the order now: nothing of ours to free.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };

  return {
    async claim(orderKey, actionId, until) {
      const hold = { orderKey, actionId, token: randomUUID() };
      let replaced: Record<string, AttributeValue> | undefined;
      try {
        ({ Attributes: replaced } = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(orderKey),
            UpdateExpression:
              'SET lease_owner = :token, lease_action = :action, lease_until = :until, expiration = :expiration',
            ConditionExpression: 'attribute_not_exists(lease_owner) OR lease_until < :now',
            ExpressionAttributeValues: {
              ':token': { S: hold.token },
              ':action': { S: actionId },
              ':until': { N: String(until) },
              ':now': { N: String(now()) },
              ':expiration': expiration(),
            },
            ReturnValues: 'ALL_OLD',
          }),
        ));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const { Item } = await client.send(
          new GetItemCommand({ TableName: tableName, Key: key(orderKey), ConsistentRead: true }),
        );
        return { kind: isReported(Item, actionId) ? 'already-reported' : 'busy' };
      }
      if (isReported(replaced, actionId)) {
        await release(hold, { reported: false });
        return { kind: 'already-reported' };
      }
      const recorded = recordedOutcome(replaced, actionId);
      return { kind: 'claimed', hold, ...(recorded && { recorded }) };
    },

    release,
  };
};
