import type { SQSEvent } from 'aws-lambda';
import { createPurchaseOrderSource } from '../lib/channel/purchase-order/index.js';
import { createMmpOrderSource } from '../lib/channel/mmp/order-source.js';
import { readImportDocumentsConfig, readOrderRefreshConfig, readOrderSourceConfig } from '../lib/config/index.js';
import { createHttpClient } from '../lib/http/index.js';
import {
  createRefreshProcessor,
  flushReturns,
  importedDocumentsFrom,
  importServicesFrom,
} from '../lib/import/index.js';
import { lambdaFunction } from '../lib/lambda-function.js';
import { createQueueOperations, settleBatch, toQueueMessage } from '../lib/queue/index.js';

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readOrderRefreshConfig(env);
  const orderSource = readOrderSourceConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  const services = importServicesFrom(config, send);
  const documents = importedDocumentsFrom(readImportDocumentsConfig(env), services.channelId, send);
  return {
    dlqUrl: config.orderRefresh.ORDER_REFRESH_DLQ_URL,
    queue: createQueueOperations(),
    process: createRefreshProcessor({
      // ORDER_SOURCE: the marketplace (OR11 by ids), or the purchase-order service (seed 002), mapped the same way.
      source:
        orderSource.ORDER_SOURCE === 'purchase-order'
          ? createPurchaseOrderSource({ config: orderSource.purchaseOrder, runtime: config.runtime })
          : createMmpOrderSource(services.stores),
      orders: services.orders,
      defaultStore: config.import.MMP_STORE_ID,
      ...(documents && { documents }),
      async refreshReturns(store, orders) {
        const client = await services.stores.clientFor(store);
        if (!client) return [];
        const lines = orders.flatMap((order) => order.order_lines.map((line) => line.order_line_id));
        const returns = await client.returnsOfLines(lines);
        await flushReturns(store, returns, { ...services, client });
        return returns.items;
      },
    }),
  };
};

/**
 * The `orderRefresh` function: orders named on the order-refresh queue (by orderActions after each report, the
 * CLI, other systems) are read again from the marketplace and upserted whole, with their returns. Only the records
 * that cannot be refreshed now fail.
 */
export const createOrderRefreshHandler = (env: NodeJS.ProcessEnv = process.env) =>
  lambdaFunction(
    () => createServices(env),
    async (event: SQSEvent, services) =>
      settleBatch(event, services, await services.process(event.Records.map(toQueueMessage))),
  );

export const handler = createOrderRefreshHandler();
