import type { SQSEvent } from 'aws-lambda';
import { createBatchProcessor } from '../lib/actions/index.js';
import { createDocumentArchive, createS3Client } from '../lib/archive/index.js';
import { createMmpDirectory } from '../lib/channel/mmp/index.js';
import { readOrderActionsConfig } from '../lib/config/index.js';
import { connectClientFromConfig } from '../lib/connect/index.js';
import { createHttpClient } from '../lib/http/index.js';
import { createLedger } from '../lib/ledger/index.js';
import { createQueueOperations, settleBatch, toQueueMessage } from '../lib/queue/index.js';
import { lambdaFunction } from '../lib/lambda-function.js';
import { logger } from '../lib/observability.js';

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readOrderActionsConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  const ledger = createLedger(config.ledger.IDEMPOTENCY_TABLE);
  const queue = createQueueOperations();
  const archiveQueueUrl = config.orderActions.ARCHIVE_DOCUMENTS_AFTER
    ? config.orderActions.DOCUMENT_ARCHIVE_QUEUE_URL
    : undefined;
  const refreshQueueUrl = config.orderActions.ORDER_REFRESH_QUEUE_URL;
  if (refreshQueueUrl === undefined)
    logger.warn(
      'ORDER_REFRESH_QUEUE_URL is not set: orders are not refreshed in Connect after actions, only by the scheduled import',
    );
  return {
    queue,
    dlqUrl: config.orderActions.ORDER_ACTIONS_DLQ_URL,
    process: createBatchProcessor({
      ...ledger,
      channels: createMmpDirectory({
        config: config.mmp,
        runtime: config.runtime,
        send,
        attachments: ledger.orderDocuments,
      }),
      connect: connectClientFromConfig(config.connect, config.runtime, send),
      retryWindowMs: config.orderActions.RETRY_WINDOW_MINUTES * 60_000,
      concurrency: config.orderActions.RECORD_CONCURRENCY,
      stateWaitSeconds: config.orderActions.STATE_WAIT_SECONDS,
      followUps: {
        ...(archiveQueueUrl && { archive: (bodies: string[]) => queue.sendAll(archiveQueueUrl, bodies) }),
        ...(refreshQueueUrl && { refresh: (bodies: string[]) => queue.sendAll(refreshQueueUrl, bodies) }),
      },
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
export const createOrderActionsHandler = (env: NodeJS.ProcessEnv = process.env) =>
  lambdaFunction(
    () => createServices(env),
    async (event: SQSEvent, services) =>
      settleBatch(event, services, await services.process(event.Records.map(toQueueMessage))),
  );

export const handler = createOrderActionsHandler();
