import type { ActionTarget, ActionType } from '../connect/index.js';
import { refreshMessageBody } from '../import/index.js';
import { logger } from '../observability.js';
import type { Outcome } from '../outcome.js';

/** Sends messages to one queue (SendMessageBatch calls); throws when some could not be sent. */
export type SendToQueue = (bodies: string[]) => Promise<void>;

export interface FollowUpQueues {
  /** Set when ARCHIVE_DOCUMENTS_AFTER is on: the document-archive queue. */
  archive?: SendToQueue;
  /** Set when ORDER_REFRESH_QUEUE_URL is: the order-refresh queue. */
  refresh?: SendToQueue;
}

/** Actions after which the order's documents are worth archiving: the marketplace may have added some. */
const ARCHIVE_AFTER: ReadonlySet<ActionType> = new Set(['CREATE_SHIPMENT', 'UPLOAD_DOCUMENT']);

/**
 * What a batch's reported actions ask of other functions, each order named once per queue and sent when the batch
 * is done (a SendMessageBatch call per ten orders, not a call per action):
 * - after each report, SUCCESS or FAILED, orderRefresh re-reads the order and upserts the state the action
 *   produced (invariant 17);
 * - after a successful shipment or document upload, documentArchive archives the order's marketplace documents.
 * The actions are reported by then: a failure to send is logged, never retried through the actions (the next
 * scheduled import brings the state; the documents wait for the next archive request).
 */
export const createFollowUps = (queues: FollowUpQueues) => {
  const archive = new Map<string, string>();
  const refresh = new Map<string, string>();

  const send = async (queue: SendToQueue | undefined, bodies: Map<string, string>, what: string) => {
    if (queue === undefined || bodies.size === 0) return;
    const orders = [...bodies.keys()];
    try {
      await queue([...bodies.values()]);
      logger.info(`${what} requested`, { orders });
    } catch (error) {
      logger.warn(`${what} could not be requested: the next scheduled run brings it`, {
        orders,
        reason: error instanceof Error ? error.message : 'error',
      });
    }
  };

  return {
    /** Notes what the action's outcome calls for. */
    after(type: ActionType, target: ActionTarget, outcome: Outcome): void {
      const orderId = target.channel_order_id;
      const order = `${target.channel_store_id ?? ''}#${orderId}`;
      refresh.set(order, refreshMessageBody(target.channel_store_id, orderId));
      if (outcome.status === 'SUCCESS' && ARCHIVE_AFTER.has(type))
        archive.set(
          order,
          JSON.stringify({
            source: 'marketplace',
            order_id: orderId,
            channel_store_id: target.channel_store_id,
            channel_id: target.channel_id,
          }),
        );
    },

    /** Sends what the batch's actions called for. */
    async send(): Promise<void> {
      await Promise.all([
        send(queues.archive, archive, "Archive of the orders' documents"),
        send(queues.refresh, refresh, 'Refresh of the orders'),
      ]);
    },
  };
};
