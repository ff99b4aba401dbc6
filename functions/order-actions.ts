import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createMessageProcessor, HandedBackForOrder, planBatch, readMessage, retryDelaySeconds } from '../lib/actions/index.js';
import { createDocumentArchive, createS3Client } from '../lib/archive/index.js';
import { createMmpDirectory } from '../lib/channel/index.js';
import { readOrderActionsConfig } from '../lib/config.js';
import { connectClientFromConfig } from '../lib/connect/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { createLedger } from '../lib/ledger/index.js';
import { logger, metrics, observeRecord, tracer } from '../lib/observability.js';
import { createQueueOperations, toQueueMessage, type Disposition } from '../lib/queue/index.js';

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readOrderActionsConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  const ledger = createLedger(config.ledger.IDEMPOTENCY_TABLE);
  const queue = createQueueOperations();
  const archiveQueueUrl = config.orderActions.ARCHIVE_DOCUMENTS_AFTER ? config.orderActions.DOCUMENT_ARCHIVE_QUEUE_URL : undefined;
  return {
    config,
    records: ledger.records,
    queue,
    process: createMessageProcessor({
      ...ledger,
      channels: createMmpDirectory({ config: config.mmp, runtime: config.runtime, send, attachments: ledger.orderDocuments }),
      connect: connectClientFromConfig(config.connect, config.runtime, send),
      retryWindowMs: config.orderActions.RETRY_WINDOW_MINUTES * 60_000,
      archiveAfter: archiveQueueUrl === undefined ? undefined : (body) => queue.send(archiveQueueUrl, body),
      documents: createDocumentArchive({
        s3: createS3Client(config.archive.S3_FORCE_PATH_STYLE),
        bucket: config.archive.DOCUMENTS_BUCKET,
        send,
        maxBytes: config.documents.DOCUMENT_MAX_BYTES,
      }),
    }),
  };
};
type Services = ReturnType<typeof createServices>;

class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

const handBack = (services: Services, record: SQSRecord, afterSeconds: number) =>
  services.queue.handBack(record.eventSourceARN, [{ receiptHandle: record.receiptHandle, afterSeconds }]);

/** Carries a disposition out on SQS; throws for a record that must be reported as failed. */
const settle = async (services: Services, record: SQSRecord, disposition: Disposition): Promise<void> => {
  if (disposition.kind === 'dead-letter') {
    const letter = { messageId: record.messageId, body: record.body, reason: disposition.reason };
    const unmoved = await services.queue.deadLetter(services.config.orderActions.ORDER_ACTIONS_DLQ_URL, [letter]);
    if (unmoved.length > 0) throw new RetryLater(`could not move it to the DLQ: ${disposition.reason}`);
  } else if (disposition.kind === 'retry') {
    await handBack(services, record, disposition.afterSeconds);
    throw new RetryLater(disposition.reason);
  }
};

/**
 * The `orderActions` function: Connect's OrderActionEvents from the events queue. A record that is not done is
 * handed back to SQS alone (ReportBatchItemFailures); a batch where every record waits on a marketplace outage
 * is not a function error. Records run concurrently up to RECORD_CONCURRENCY, one at a time per order.
 */
export const createOrderActionsHandler = (env: NodeJS.ProcessEnv = process.env) => {
  let services: Services | undefined;
  const processor = new BatchProcessor(EventType.SQS);

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A configuration error fails the whole invocation, loudly: it is the operator's to fix, not the actions'.
    services ??= createServices(env);
    const ready = services;
    ready.records.registerLambdaContext(context);
    const plan = planBatch(
      event.Records.map((record) => ({ id: record.messageId, body: record.body })),
      ready.config.orderActions.RECORD_CONCURRENCY,
    );
    const deadline = Date.now() + context.getRemainingTimeInMillis();

    const handleRecord = (record: SQSRecord) => {
      const message = toQueueMessage(record);
      return observeRecord({ message_id: record.messageId, ...readMessage(record.body).ids }, () =>
        plan
          .run(record.messageId, async () => settle(ready, record, await withDeadline(deadline, () => ready.process(message))))
          .catch(async (error: unknown) => {
            if (error instanceof HandedBackForOrder) await handBack(ready, record, retryDelaySeconds(undefined, message.receiveCount));
            throw error;
          }),
      );
    };

    return processPartialResponse(event, handleRecord, processor, { context, throwOnFullBatchFailure: false });
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createOrderActionsHandler();
