import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RECORD_LIFETIME_SECONDS } from './action-records.js';

export type LeaseResult =
  /** The caller holds the order until it releases the lease or its deadline passes. */
  | { kind: 'acquired'; lease: Lease }
  /** Another invocation is working on this order (perhaps on a copy of the same action): try again shortly. */
  | { kind: 'busy' }
  /** This action was already carried out and reported: nothing to do. */
  | { kind: 'already-reported' };

export interface Lease {
  orderKey: string;
  actionId: string;
  /** Unique to this holder: two copies of one action in two invocations hold different leases. */
  token: string;
}

/** The id of an order's item in the idempotency table. */
export const orderItemId = (orderKey: string) => `order#${orderKey}`;

export interface OrderLeases {
  acquire(orderKey: string, actionId: string, until: number): Promise<LeaseResult>;
  /** Gives the order back, noting the action as reported when it was. */
  release(lease: Lease, reported: boolean): Promise<void>;
}

/**
 * One item per order (`order#<store>#<order id>`) in the idempotency table, so actions on one order never
 * overlap across concurrent invocations (invariant 6), and duplicates of an action that was already
 * reported are recognised before any other work.
 *
 *   invocation A: acquire(order, a1, deadline A) ─ perform ─ report ─ release(order, a1, reported)
 *   invocation B:        acquire(order, a2) → busy: handed back to SQS for a few seconds
 *   a crash of A: the lease ends at A's deadline; the next delivery takes it over.
 *
 * One conditional write is the whole lock: the lease is free or expired, and the action is not reported yet.
 */
export const createOrderLeases = (options: { tableName: string; client: DynamoDBClient; now?: () => number }): OrderLeases => {
  const now = options.now ?? Date.now;
  const key = (orderKey: string) => ({ id: { S: orderItemId(orderKey) } });
  const expiration = () => ({ N: String(Math.floor(now() / 1000) + RECORD_LIFETIME_SECONDS) });

  return {
    async acquire(orderKey, actionId, until) {
      const lease = { orderKey, actionId, token: randomUUID() };
      try {
        await options.client.send(
          new UpdateItemCommand({
            TableName: options.tableName,
            Key: key(orderKey),
            UpdateExpression: 'SET lease_owner = :token, lease_until = :until, expiration = :expiration',
            ConditionExpression: '(attribute_not_exists(lease_owner) OR lease_until < :now) AND NOT contains(reported, :action)',
            ExpressionAttributeValues: {
              ':token': { S: lease.token },
              ':action': { S: actionId },
              ':until': { N: String(until) },
              ':now': { N: String(now()) },
              ':expiration': expiration(),
            },
          }),
        );
        return { kind: 'acquired', lease };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const { Item } = await options.client.send(new GetItemCommand({ TableName: options.tableName, Key: key(orderKey), ConsistentRead: true }));
        return { kind: Item?.reported?.SS?.includes(actionId) ? 'already-reported' : 'busy' };
      }
    },

    async release(lease, reported) {
      try {
        await options.client.send(
          new UpdateItemCommand({
            TableName: options.tableName,
            Key: key(lease.orderKey),
            UpdateExpression: reported ? 'REMOVE lease_owner, lease_until ADD reported :reported' : 'REMOVE lease_owner, lease_until',
            ConditionExpression: 'lease_owner = :token',
            ExpressionAttributeValues: { ':token': { S: lease.token }, ...(reported ? { ':reported': { SS: [lease.actionId] } } : {}) },
          }),
        );
      } catch (error) {
        // Our lease ran out and another invocation holds the order now: nothing of ours to release.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
};
