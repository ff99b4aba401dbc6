import type { PurchaseOrderConfig, RuntimeConfig } from '../../config/index.js';
import { createTokenProvider } from '../../connect/index.js';
import { createHttpClient } from '../../http/index.js';
import type { OrderReadFailure, OrderSource } from '../../import/order-source.js';
import { count, countBy, logger, MetricName } from '../../observability.js';
import { secretFrom } from '../../secrets.js';
import type { MmpImportedOrder } from '../mmp/imported-order.js';
import { createPurchaseOrderClient, type PurchaseOrderClient } from './client.js';
import { readFailure } from './failures.js';

const CREDENTIALS =
  'PURCHASE_ORDER_CLIENT_ID and PURCHASE_ORDER_CLIENT_SECRET (or PURCHASE_ORDER_CLIENT_SECRET_PARAM), PURCHASE_ORDER_AUTH_URL';

/**
 * The purchase-order service as the source of orderRefresh (ORDER_SOURCE=purchase-order): one call per order, at
 * most `concurrency` at a time. It serves one tenant, so the Connect store does not change what is read.
 */
export const purchaseOrderSource = (client: PurchaseOrderClient, concurrency: number): OrderSource => ({
  async readOrders(_channelStoreId, orderIds) {
    const orders: MmpImportedOrder[] = [];
    const failures: OrderReadFailure[] = [];
    const queue = [...new Set(orderIds)];
    const worker = async () => {
      for (let orderId = queue.shift(); orderId !== undefined; orderId = queue.shift()) {
        const read = await client.read(orderId);
        if (read.kind === 'found') {
          orders.push(read.order);
          continue;
        }
        // The refresh logs each failure by id; the credentials' error is said here, where the variables are known.
        failures.push(readFailure(orderId, read));
        countBy(MetricName.OrderSourceReadFailures, { code: read.kind });
        if (read.kind === 'unauthorized') {
          count(MetricName.OrderSourceConfigurationErrors);
          logger.error(`The purchase-order service refuses the connector's credentials: check ${CREDENTIALS}`, {
            order_id: orderId,
            reason: read.reason,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return { orders, failures };
  },
});

/**
 * The factory orderRefresh calls when ORDER_SOURCE=purchase-order (config from `readOrderSourceConfig`). Order reads
 * go out once each (503 and other transient answers are handed back to SQS); the token request keeps the usual retries.
 */
export const createPurchaseOrderSource = (options: {
  config: PurchaseOrderConfig;
  runtime: RuntimeConfig;
}): OrderSource => {
  const { config, runtime } = options;
  const tokens = createTokenProvider({
    service: 'Purchase-order service',
    authUrl: config.PURCHASE_ORDER_AUTH_URL,
    clientId: config.PURCHASE_ORDER_CLIENT_ID,
    clientSecret: secretFrom(
      config.PURCHASE_ORDER_CLIENT_SECRET,
      config.PURCHASE_ORDER_CLIENT_SECRET_PARAM,
      runtime.SECRETS_MAX_AGE_SECONDS,
    ),
    send: createHttpClient({ timeoutMs: runtime.HTTP_TIMEOUT_MS }),
  });
  const send = createHttpClient({ timeoutMs: runtime.HTTP_TIMEOUT_MS, maxAttempts: 1 });
  return purchaseOrderSource(
    createPurchaseOrderClient({ apiUrl: config.PURCHASE_ORDER_API_URL, tokens, send }),
    config.PURCHASE_ORDER_CONCURRENCY,
  );
};
