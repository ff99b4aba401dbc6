import { MAX_ORDERS_PER_CALL, type AnonymizeAfterOrder } from '../connect/index.js';
import { inChunksOf } from '../queue/index.js';

/** A valid update waiting to be sent, with the queue record it came from. */
export interface PendingUpdate {
  recordId: string;
  /** When the record was sent to the queue (epoch ms, `SentTimestamp`). */
  sentAt: number;
  order: AnonymizeAfterOrder;
  /** `order.anonymize_after` in epoch ms. */
  anonymizeAfter: number;
}

export interface CallPlan {
  /** Calls of at most 100 orders, each order once in the whole plan. */
  calls: PendingUpdate[][];
  /** Older updates of an order that has a newer one in the batch: done once read. */
  superseded: PendingUpdate[];
}

/**
 * One update per order (`channel_id` + `channel_order_id`): the most recently sent wins. On a tie (one
 * SendMessageBatch stamps its messages alike) the later date wins, as anonymizing later can still be undone.
 */
export const planCalls = (updates: PendingUpdate[]): CallPlan => {
  const latest = new Map<string, PendingUpdate>();
  const superseded: PendingUpdate[] = [];
  for (const update of updates) {
    const key = JSON.stringify([update.order.channel_id, update.order.channel_order_id]);
    const current = latest.get(key);
    if (current === undefined) {
      latest.set(key, update);
    } else if (isNewer(update, current)) {
      superseded.push(current);
      latest.set(key, update);
    } else {
      superseded.push(update);
    }
  }
  return { calls: inChunksOf(MAX_ORDERS_PER_CALL, [...latest.values()]), superseded };
};

const isNewer = (candidate: PendingUpdate, current: PendingUpdate): boolean =>
  candidate.sentAt !== current.sentAt
    ? candidate.sentAt > current.sentAt
    : candidate.anonymizeAfter > current.anonymizeAfter;
