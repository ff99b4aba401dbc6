import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { readImportDocumentsConfig, readOrderSyncConfig } from '../lib/config/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { createOrderSync, importedDocumentsFrom, importServicesFrom, syncDocumentStep, type StoreRuns } from '../lib/import/index.js';
import { logger, metrics, tracer } from '../lib/observability.js';
import { createQueueOperations } from '../lib/queue/index.js';

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readOrderSyncConfig(env);
  // Upserts and reads are safe to repeat: ride out throttling a little longer than the actions do, within the run.
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS, maxAttempts: 6, maxDelayMs: 20_000 });
  const services = importServicesFrom(config, send);
  const knobs = config.orderSync;
  const documents = importedDocumentsFrom(readImportDocumentsConfig(env), services.channelId, send);
  const refreshQueueUrl = knobs.ORDER_REFRESH_QUEUE_URL;
  const queue = createQueueOperations();
  const requestRefresh = async (store: string, orderIds: string[]) => {
    await Promise.all(orderIds.map((orderId) => queue.send(refreshQueueUrl as string, JSON.stringify({ channel_order_id: orderId, channel_store_id: store }))));
  };
  return createOrderSync({
    ...services,
    ...(documents && { documents: syncDocumentStep(documents, refreshQueueUrl === undefined ? undefined : requestRefresh) }),
    timing: {
      overlapMs: knobs.ORDER_SYNC_OVERLAP_SECONDS * 1000,
      firstLookbackMs: knobs.ORDER_SYNC_FIRST_LOOKBACK_DAYS * 86_400_000,
      stopBeforeDeadlineMs: knobs.ORDER_SYNC_STOP_BEFORE_DEADLINE_SECONDS * 1000,
      minIntervalMs: { orders: knobs.ORDER_SYNC_MIN_INTERVAL_SECONDS * 1000, returns: knobs.ORDER_SYNC_RETURNS_MIN_INTERVAL_SECONDS * 1000 },
    },
  });
};

/**
 * The `orderSync` function, on an EventBridge schedule: imports the orders and returns changed on the marketplace
 * since each store's cursor into Connect (lib/import/). Every store is served; one store's failure is in its
 * summary and logs, not in the invocation's result.
 */
export const createOrderSyncHandler = (env: NodeJS.ProcessEnv = process.env) => {
  let sync: ReturnType<typeof createServices> | undefined;
  let saidNothingToPoll = false;

  return middy(async (_event: ScheduledEvent, context: Context): Promise<StoreRuns> => {
    // The purchase-order service is read by id (orderRefresh): it lists no changes, so there is nothing to poll.
    if (env.ORDER_SOURCE?.trim() === 'purchase-order') {
      if (!saidNothingToPoll) logger.info('ORDER_SOURCE is purchase-order: orderSync has nothing to poll; orders are imported by orderRefresh');
      saidNothingToPoll = true;
      return {};
    }
    // A configuration error fails the whole invocation, loudly: it is the operator's to fix.
    sync ??= createServices(env);
    const ready = sync;
    const runStart = Date.now();
    const deadline = runStart + context.getRemainingTimeInMillis();
    const runs = await withDeadline(deadline, () => ready(runStart, deadline));
    logger.info('Order sync run done', { stores: runs });
    return runs;
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createOrderSyncHandler();
