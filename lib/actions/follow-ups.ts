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
 * What a batch's reported actions ask of other functions, each order named once per queue, in a SendMessageBatch
 * call per ten orders (not a call per action):
 * - after each report, SUCCESS or FAILED, orderRefresh re-reads the order and upserts the state the action
 *   produced (invariant 17);
 * - after a successful shipment or document upload, documentArchive archives the order's marketplace documents.
 * They leave as soon as every record of the batch is reported or settled otherwise, while the last ones still free
 * their orders. The actions are reported by then: a failure to send is logged, never retried through the actions
 * (the next scheduled import brings the state; the documents wait for the next archive request).
 */
export const createFollowUps = (queues: FollowUpQueues, records: number) => {
  const archive = new Map<string, string>();
  const refresh = new Map<string, string>();
  let unsettled = records;
  let sending: Promise<void> | undefined;

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

  const sendAll = () =>
    (sending ??= Promise.all([
      send(queues.archive, archive, "Archive of the orders' documents"),
      send(queues.refresh, refresh, 'Refresh of the orders'),
    ]).then(() => undefined));

  const note = (type: ActionType, target: ActionTarget, outcome: Outcome) => {
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
  };

  return {
    /** One record's part: `reported` when its action is, `settled` when the record is done; the first one counts. */
    forRecord() {
      let counted = false;
      const settled = () => {
        if (counted) return;
        counted = true;
        unsettled -= 1;
        if (unsettled === 0) void sendAll();
      };
      return {
        reported(type: ActionType, target: ActionTarget, outcome: Outcome): void {
          note(type, target, outcome);
          settled();
        },
        settled,
      };
    },

    /** Resolves once the follow-ups are sent (or failed, logged). */
    sent: sendAll,
  };
};

export type RecordFollowUps = ReturnType<ReturnType<typeof createFollowUps>['forRecord']>;
