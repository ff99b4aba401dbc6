import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createDeadLetterProcessor, readMessage } from '../lib/actions/index.js';
import { createS3Client } from '../lib/archive/index.js';
import { readDeadLettersConfig } from '../lib/config/index.js';
import { connectClientFromConfig } from '../lib/connect/index.js';
import { createHttpClient } from '../lib/http/index.js';
import { createLedger } from '../lib/ledger/index.js';
import { observeRecord } from '../lib/observability.js';
import { toQueueMessage } from '../lib/queue/index.js';
import { lambdaFunction } from '../lib/lambda-function.js';

const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readDeadLettersConfig(env);
  const ledger = createLedger(config.ledger.IDEMPOTENCY_TABLE);
  return {
    process: createDeadLetterProcessor({
      ...ledger,
      connect: connectClientFromConfig(
        config.connect,
        config.runtime,
        createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS }),
      ),
      s3: createS3Client(config.archive.S3_FORCE_PATH_STYLE),
      bucket: config.archive.DOCUMENTS_BUCKET,
    }),
  };
};
type Services = ReturnType<typeof createServices>;

/**
 * The `orderActionsDeadLetters` function, on the Connect events DLQ: reports FAILED for every action that is
 * not final yet, archives the event with the reason it died, then lets SQS delete it. A record it cannot
 * settle (Connect or S3 down) stays on the DLQ and is tried again; the DLQ depth alarm watches that.
 */
export const createOrderActionsDeadLettersHandler = (env: NodeJS.ProcessEnv = process.env) => {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = (services: Services) => (record: SQSRecord) => {
    const read = readMessage(record.body);
    return observeRecord({ message_id: record.messageId, ...read.ids }, () =>
      services.process(
        {
          ...toQueueMessage(record),
          id: record.messageAttributes.source_message_id?.stringValue ?? record.messageId,
          deadLetterReason: record.messageAttributes.dead_letter_reason?.stringValue,
        },
        read,
      ),
    );
  };
  return lambdaFunction(
    () => createServices(env),
    (event: SQSEvent, services, { context }) =>
      processPartialResponse(event, handleRecord(services), processor, { context, throwOnFullBatchFailure: false }),
  );
};

export const handler = createOrderActionsDeadLettersHandler();
