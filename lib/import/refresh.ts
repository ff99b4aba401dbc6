import { handBackSeconds, type Backoff } from '../backoff.js';
import type { MmpImportedOrder, MmpImportedReturn } from '../channel/mmp/imported-order.js';
import { describeInvalidBody, MAX_UPSERT_ITEMS } from '../connect/index.js';
import { count, errorForLog, logger, MetricName } from '../observability.js';
import { ConnectorError } from '../errors.js';
import type { Disposition, QueueMessage } from '../queue/index.js';
import { transientlyFailed, type ImportedOrderDocuments } from './order-documents.js';
import type { OrderReadFailure, OrderSource } from './order-source.js';
import { RefreshMessage } from './refresh-message.js';
import { StoreUnknownToConnect, type OrderSender } from './send-orders.js';

/** An order not refreshed now comes back after 30 s, doubling with each delivery, up to 15 min. */
const REFRESH_BACKOFF: Backoff = { base: 30, cap: 15 * 60, jitter: false };

export interface RefreshOptions {
  source: OrderSource;
  orders: OrderSender;
  /** Single-store mode: the store of messages that name none. */
  defaultStore?: string;
  /** Re-reads and sends the returns of orders just imported (the marketplace source has them); answers the returns read. */
  refreshReturns?: (store: string, orders: MmpImportedOrder[]) => Promise<MmpImportedReturn[]>;
  /** The documents of the orders Connect accepted; a document that failed transiently hands its order's messages back. */
  documents?: ImportedOrderDocuments;
}

const readRefresh = (
  body: string,
  defaultStore: string | undefined,
): { store: string; orderId: string } | { reason: string } => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { reason: 'message body is not JSON' };
  }
  const parsed = RefreshMessage.safeParse(json);
  if (!parsed.success) return { reason: `not an order-refresh message: ${describeInvalidBody(parsed.error)}` };
  const store = parsed.data.channel_store_id ?? defaultStore;
  if (store === undefined) return { reason: 'channel_store_id is required: this deployment serves several stores' };
  return { store, orderId: parsed.data.channel_order_id };
};

/**
 * A batch of the order-refresh queue: the orders named are read from the source (one call per 100 ids of a store),
 * upserted whole (invariant 17), and their returns refreshed. An order the source does not have is acknowledged
 * with a warning; an unreadable message is dead-lettered with the reason; an outage hands the messages back.
 */
export const createRefreshProcessor =
  (options: RefreshOptions) =>
  async (records: QueueMessage[]): Promise<Map<string, Disposition>> => {
    const dispositions = new Map<string, Disposition>();
    const byStore = new Map<string, Map<string, QueueMessage[]>>();
    for (const record of records) {
      const read = readRefresh(record.body, options.defaultStore);
      if ('reason' in read) {
        logger.error('Unreadable order-refresh message: moved to the dead-letter queue', {
          message_id: record.id,
          reason: read.reason,
        });
        dispositions.set(record.id, { kind: 'dead-letter', reason: read.reason });
        continue;
      }
      const orders = byStore.get(read.store) ?? new Map<string, QueueMessage[]>();
      orders.set(read.orderId, [...(orders.get(read.orderId) ?? []), record]);
      byStore.set(read.store, orders);
    }

    const dispose = (messages: QueueMessage[] | undefined, disposition: (message: QueueMessage) => Disposition) => {
      for (const message of messages ?? []) dispositions.set(message.id, disposition(message));
    };

    for (const [store, orders] of byStore) {
      const orderIds = [...orders.keys()];
      for (let start = 0; start < orderIds.length; start += MAX_UPSERT_ITEMS) {
        const ids = orderIds.slice(start, start + MAX_UPSERT_ITEMS);
        try {
          const { orders: found, failures } = await options.source.readOrders(store, ids);
          for (const failure of failures) {
            const course = READ_FAILURES[failure.outcome];
            logger[course.level](course.log, { store, channel_order_id: failure.orderId, reason: failure.reason });
            dispose(orders.get(failure.orderId), (message) => course.disposition(failure, message));
          }
          const sent = await options.orders.send(store, { items: found, unreadable: [] });
          for (const orderId of [...sent.imported, ...sent.parked])
            dispose(orders.get(orderId), () => ({ kind: 'done' }));
          let returns: MmpImportedReturn[] = [];
          if (options.refreshReturns && found.length > 0) {
            returns = await options.refreshReturns(store, found).catch((error: unknown) => {
              logger.warn('Returns not refreshed: the next scheduled run sends them', {
                store,
                reason: error instanceof Error ? error.message : 'error',
              });
              return [];
            });
          }
          if (options.documents) {
            const accepted = new Set(sent.imported);
            const failures = await options.documents.sync(
              store,
              found.filter((order) => accepted.has(order.order_id)),
              returns,
            );
            for (const [orderId, { retryAfterSeconds }] of transientlyFailed(failures)) {
              dispose(orders.get(orderId), (message) => ({
                kind: 'retry',
                reason: 'order documents not carried over to Connect: tried again',
                afterSeconds: handBackSeconds(REFRESH_BACKOFF, message.receiveCount, retryAfterSeconds),
              }));
            }
          }
        } catch (error) {
          const why = failed(store, error);
          for (const orderId of ids) {
            dispose(
              orders.get(orderId),
              (message) =>
                dispositions.get(message.id) ??
                (why.kind === 'retry'
                  ? {
                      kind: 'retry',
                      reason: why.reason,
                      afterSeconds: handBackSeconds(REFRESH_BACKOFF, message.receiveCount, why.retryAfterSeconds),
                    }
                  : why),
            );
          }
        }
      }
    }
    return dispositions;
  };

/** What becomes of the messages naming an order the source could not read, by the outcome the source gave. */
const READ_FAILURES: Record<
  OrderReadFailure['outcome'],
  { level: 'warn' | 'error'; log: string; disposition(failure: OrderReadFailure, message: QueueMessage): Disposition }
> = {
  skip: { level: 'warn', log: 'Order to refresh not found: acknowledged', disposition: () => ({ kind: 'done' }) },
  'dead-letter': {
    level: 'error',
    log: 'Order cannot be refreshed: moved to the dead-letter queue',
    disposition: (failure) => ({ kind: 'dead-letter', reason: failure.reason }),
  },
  retry: {
    level: 'warn',
    log: 'Order not read now: handed back to the queue',
    disposition: (failure, message) => ({
      kind: 'retry',
      reason: failure.reason,
      afterSeconds: handBackSeconds(REFRESH_BACKOFF, message.receiveCount, failure.retryAfterSeconds),
    }),
  },
};

/** What becomes of the messages of a call that failed as a whole. */
const failed = (
  store: string,
  error: unknown,
): { kind: 'dead-letter'; reason: string } | { kind: 'retry'; reason: string; retryAfterSeconds?: number } => {
  if (error instanceof StoreUnknownToConnect) {
    logger.error('Configuration error: Connect does not know this store', { store, reason: error.message });
    count(MetricName.ImportConfigurationErrors);
    return { kind: 'dead-letter', reason: error.message };
  }
  if (error instanceof ConnectorError && error.transient) {
    logger.warn('Refresh interrupted by an outage or throttling: handed back to the queue', {
      store,
      reason: error.message,
    });
    return {
      kind: 'retry',
      reason: error.message,
      ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  logger.error('Unexpected error while refreshing orders: handed back to the queue', {
    store,
    error: errorForLog(error),
  });
  return { kind: 'retry', reason: 'unexpected error in the connector' };
};
