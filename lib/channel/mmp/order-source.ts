import type { OrderReadFailure, OrderSource } from '../../import/order-source.js';
import { ConnectorError } from '../../errors.js';
import type { MmpImportStores } from './import-stores.js';

/**
 * The marketplace as the refresh's order source: OR11 by ids (100 per call). An order it does not list is not on
 * the marketplace (for this shop): skipped with a warning, not retried forever. An outage or throttling hands the
 * orders back to SQS; an order that does not read as an order is dead-lettered with where it breaks.
 */
export const createMmpOrderSource = (stores: MmpImportStores): OrderSource => ({
  async readOrders(channelStoreId, orderIds) {
    const failAll = (failure: Omit<OrderReadFailure, 'orderId'>) => ({
      orders: [],
      failures: orderIds.map((orderId) => ({ orderId, ...failure })),
    });
    const client = await stores.clientFor(channelStoreId);
    if (!client)
      return failAll({ reason: `store ${channelStoreId} is not served by this deployment`, outcome: 'dead-letter' });
    let read: Awaited<ReturnType<typeof client.ordersByIds>>;
    try {
      read = await client.ordersByIds(orderIds);
    } catch (error) {
      if (error instanceof ConnectorError && error.transient) {
        return failAll({
          reason: error.message,
          outcome: 'retry',
          ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
        });
      }
      throw error;
    }
    const listed = new Set([
      ...read.items.map((order) => order.order_id),
      ...read.unreadable.flatMap((item) => item.id ?? []),
    ]);
    const failures: OrderReadFailure[] = [
      ...read.unreadable.flatMap((item) =>
        item.id === undefined
          ? []
          : [
              {
                orderId: item.id,
                reason: `unreadable from the marketplace: ${item.reason}`,
                outcome: 'dead-letter' as const,
              },
            ],
      ),
      ...orderIds
        .filter((id) => !listed.has(id))
        .map((orderId) => ({ orderId, reason: 'not found on the marketplace (OR11)', outcome: 'skip' as const })),
    ];
    return { orders: read.items.filter((order) => orderIds.includes(order.order_id)), failures };
  },
});
