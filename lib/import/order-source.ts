import type { MmpImportedOrder } from '../channel/mmp/imported-order.js';

/** Why one named order could not be read, and what becomes of its refresh request. */
export interface OrderReadFailure {
  orderId: string;
  /** Short, no personal data: the source's error code and message. */
  reason: string;
  /** skip: acknowledged with a warning; dead-letter: moved to the DLQ with the reason; retry: handed back to SQS. */
  outcome: 'skip' | 'dead-letter' | 'retry';
  retryAfterSeconds?: number;
}

/**
 * Where `orderRefresh` reads the orders it is asked to re-import (ORDER_SOURCE): the marketplace (OR11 by ids) or
 * the purchase-order service (seed 002). Both answer Mirakl-shaped orders, mapped to Connect the same way.
 */
export interface OrderSource {
  readOrders(
    channelStoreId: string,
    orderIds: string[],
  ): Promise<{ orders: MmpImportedOrder[]; failures: OrderReadFailure[] }>;
}
