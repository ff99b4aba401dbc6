import type { ScheduledEvent } from 'aws-lambda';
import { readImportDocumentsConfig, readOrderSyncConfig } from '../lib/config/index.js';
import { createHttpClient } from '../lib/http/index.js';
import {
  createOrderSync,
  importedDocumentsFrom,
  importServicesFrom,
  refreshMessageBody,
  syncDocumentStep,
  type StoreRuns,
} from '../lib/import/index.js';
import { lambdaFunction } from '../lib/lambda-function.js';
import { logger } from '../lib/observability.js';
import { createQueueOperations } from '../lib/queue/index.js';

/**
 * Built once per container, on the first event, after the configuration has been validated. The purchase-order
 * service is read by id (orderRefresh): it lists no changes, so with it there is nothing to poll (said once).
 */
const createServices = (env: NodeJS.ProcessEnv) => {
  if (env.ORDER_SOURCE?.trim() === 'purchase-order') {
    logger.info('ORDER_SOURCE is purchase-order: orderSync has nothing to poll; orders are imported by orderRefresh');
    return undefined;
  }
  const config = readOrderSyncConfig(env);
  // Upserts and reads are safe to repeat: ride out throttling a little longer than the actions do, within the run.
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS, maxAttempts: 6, maxDelayMs: 20_000 });
  const services = importServicesFrom(config, send);
  const knobs = config.orderSync;
  const documents = importedDocumentsFrom(readImportDocumentsConfig(env), services.channelId, send);
  const refreshQueueUrl = knobs.ORDER_REFRESH_QUEUE_URL;
  const queue = createQueueOperations();
  const requestRefresh = (store: string, orderIds: string[]) =>
    queue.sendAll(
      refreshQueueUrl as string,
      orderIds.map((orderId) => refreshMessageBody(store, orderId)),
    );
  return createOrderSync({
    ...services,
    ...(documents && {
      documents: syncDocumentStep(documents, refreshQueueUrl === undefined ? undefined : requestRefresh),
    }),
    timing: {
      overlapMs: knobs.ORDER_SYNC_OVERLAP_SECONDS * 1000,
      firstLookbackMs: knobs.ORDER_SYNC_FIRST_LOOKBACK_DAYS * 86_400_000,
      stopBeforeDeadlineMs: knobs.ORDER_SYNC_STOP_BEFORE_DEADLINE_SECONDS * 1000,
      minIntervalMs: {
        orders: knobs.ORDER_SYNC_MIN_INTERVAL_SECONDS * 1000,
        returns: knobs.ORDER_SYNC_RETURNS_MIN_INTERVAL_SECONDS * 1000,
      },
    },
  });
};

/**
 * The `orderSync` function, on an EventBridge schedule: imports the orders and returns changed on the marketplace
 * since each store's cursor into Connect (lib/import/). Every store is served; one store's failure is in its
 * summary and logs, not in the invocation's result.
 */
export const createOrderSyncHandler = (env: NodeJS.ProcessEnv = process.env) =>
  lambdaFunction(
    () => createServices(env),
    async (_event: ScheduledEvent, sync, { deadline }): Promise<StoreRuns> => {
      if (!sync) return {};
      const runs = await sync(Date.now(), deadline);
      logger.info('Order sync run done', { stores: runs });
      return runs;
    },
  );

export const handler = createOrderSyncHandler();
