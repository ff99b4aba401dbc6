import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createBatchProcessor } from '../lib/actions/index.js';
import { createDocumentArchive, createS3Client } from '../lib/archive/index.js';
import { createMmpDirectory } from '../lib/channel/mmp/index.js';
import { readOrderActionsConfig } from '../lib/config.js';
import { connectClientFromConfig } from '../lib/connect/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { createLedger } from '../lib/ledger/index.js';
import { logger, metrics, tracer } from '../lib/observability.js';
import { createQueueOperations, settleDispositions, toQueueMessage } from '../lib/queue/index.js';

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readOrderActionsConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  const ledger = createLedger(config.ledger.IDEMPOTENCY_TABLE);
  const queue = createQueueOperations();
  const archiveQueueUrl = config.orderActions.ARCHIVE_DOCUMENTS_AFTER ? config.orderActions.DOCUMENT_ARCHIVE_QUEUE_URL : undefined;
  const refreshQueueUrl = config.orderActions.ORDER_REFRESH_QUEUE_URL;
  if (refreshQueueUrl === undefined) logger.warn('ORDER_REFRESH_QUEUE_URL is not set: orders are not refreshed in Connect after actions, only by the scheduled import');
  return {
    queue,
    dlqUrl: config.orderActions.ORDER_ACTIONS_DLQ_URL,
    process: createBatchProcessor({
      ...ledger,
      channels: createMmpDirectory({ config: config.mmp, runtime: config.runtime, send, attachments: ledger.orderDocuments }),
      connect: connectClientFromConfig(config.connect, config.runtime, send),
      retryWindowMs: config.orderActions.RETRY_WINDOW_MINUTES * 60_000,
      concurrency: config.orderActions.RECORD_CONCURRENCY,
      stateWaitSeconds: config.orderActions.STATE_WAIT_SECONDS,
      archiveAfter: archiveQueueUrl === undefined ? undefined : (body) => queue.send(archiveQueueUrl, body),
      refreshAfter: refreshQueueUrl === undefined ? undefined : (body) => queue.send(refreshQueueUrl, body),
      documents: createDocumentArchive({
        s3: createS3Client(config.archive.S3_FORCE_PATH_STYLE),
        bucket: config.archive.DOCUMENTS_BUCKET,
        send,
        maxBytes: config.documents.DOCUMENT_MAX_BYTES,
      }),
    }),
  };
};

/**
 * The `orderActions` function: Connect's OrderActionEvents from the events queue, a batch at a time
 * (lib/actions/process.ts). A record that is not done is handed back to SQS alone (ReportBatchItemFailures);
 * a batch where every record waits on a marketplace outage is not a function error.
 */
export const createOrderActionsHandler = (env: NodeJS.ProcessEnv = process.env) => {
  let services: ReturnType<typeof createServices> | undefined;

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A configuration error fails the whole invocation, loudly: it is the operator's to fix, not the actions'.
    services ??= createServices(env);
    const ready = services;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const dispositions = await withDeadline(deadline, () => ready.process(event.Records.map(toQueueMessage)));
    const queueArn = event.Records[0]?.eventSourceARN ?? '';
    const failed = await settleDispositions(ready.queue, { queueArn, dlqUrl: ready.dlqUrl }, event.Records, dispositions);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createOrderActionsHandler();
