import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createDeadLetterProcessor, readMessage } from '../lib/actions/index.js';
import { createS3Client } from '../lib/archive/index.js';
import { readDeadLettersConfig } from '../lib/config.js';
import { connectClientFromConfig } from '../lib/connect/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { createLedger } from '../lib/ledger/index.js';
import { logger, metrics, observeRecord, tracer } from '../lib/observability.js';
import { toQueueMessage } from '../lib/queue/index.js';

const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readDeadLettersConfig(env);
  const ledger = createLedger(config.ledger.IDEMPOTENCY_TABLE);
  return {
    process: createDeadLetterProcessor({
      ...ledger,
      connect: connectClientFromConfig(config.connect, config.runtime, createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS })),
      s3: createS3Client(config.archive.S3_FORCE_PATH_STYLE),
      bucket: config.archive.DOCUMENTS_BUCKET,
    }),
  };
};

/**
 * The `orderActionsDeadLetters` function, on the Connect events DLQ: reports FAILED for every action that is
 * not final yet, archives the event with the reason it died, then lets SQS delete it. A record it cannot
 * settle (Connect or S3 down) stays on the DLQ and is tried again; the DLQ depth alarm watches that.
 */
export const createOrderActionsDeadLettersHandler = (env: NodeJS.ProcessEnv = process.env) => {
  let services: ReturnType<typeof createServices> | undefined;
  const processor = new BatchProcessor(EventType.SQS);

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    services ??= createServices(env);
    const ready = services;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const handleRecord = (record: SQSRecord) => {
      const read = readMessage(record.body);
      return observeRecord({ message_id: record.messageId, ...read.ids }, () =>
        withDeadline(deadline, () =>
          ready.process(
            {
              ...toQueueMessage(record),
              id: record.messageAttributes.source_message_id?.stringValue ?? record.messageId,
              deadLetterReason: record.messageAttributes.dead_letter_reason?.stringValue,
            },
            read,
          ),
        ),
      );
    };
    return processPartialResponse(event, handleRecord, processor, { context, throwOnFullBatchFailure: false });
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createOrderActionsDeadLettersHandler();
