import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createPurchaseOrderSource } from '../lib/channel/purchase-order/index.js';
import { createMmpOrderSource } from '../lib/channel/mmp/order-source.js';
import { readImportDocumentsConfig, readOrderRefreshConfig, readOrderSourceConfig } from '../lib/config/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { createRefreshProcessor, flushReturns, importedDocumentsFrom, importServicesFrom } from '../lib/import/index.js';
import { logger, metrics, tracer } from '../lib/observability.js';
import { createQueueOperations, settleDispositions, toQueueMessage } from '../lib/queue/index.js';

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
type Services = ReturnType<typeof createServices>;

/**
 * The `orderRefresh` function: orders named on the order-refresh queue (by orderActions after each report, the
 * CLI, other systems) are read again from the marketplace and upserted whole, with their returns. Only the records
 * that cannot be refreshed now fail.
 */
export const createOrderRefreshHandler = (env: NodeJS.ProcessEnv = process.env) => {
  let services: Services | undefined;

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A configuration error fails the whole invocation, loudly: it is the operator's to fix.
    services ??= createServices(env);
    const ready = services;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const dispositions = await withDeadline(deadline, () => ready.process(event.Records.map(toQueueMessage)));
    const failed = await settleDispositions(ready.queue, { queueArn: event.Records[0]?.eventSourceARN ?? '', dlqUrl: ready.dlqUrl }, event.Records, dispositions);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createOrderRefreshHandler();
