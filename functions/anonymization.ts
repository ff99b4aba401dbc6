import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ChangeMessageVisibilityBatchCommand, GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createAnonymizationProcessor, dateRulesFrom, inChunksOf, type Disposition } from '../lib/anonymization/index.js';
import { readAnonymizationConfig } from '../lib/config.js';
import { createAnonymizeAfterClient, createTokenProvider } from '../lib/connect/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { logger, metrics } from '../lib/observability.js';
import { secretFrom } from '../lib/secrets.js';

/** SendMessageBatch and ChangeMessageVisibilityBatch take at most 10 entries. */
const SQS_BATCH = 10;

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readAnonymizationConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  const tokens = createTokenProvider({
    authUrl: config.connect.CONNECT_AUTH_URL,
    clientId: config.connect.CONNECT_CLIENT_ID,
    clientSecret: secretFrom(config.connect.CONNECT_CLIENT_SECRET, config.connect.CONNECT_CLIENT_SECRET_PARAM, config.runtime.SECRETS_MAX_AGE_SECONDS),
    send,
  });
  return {
    dlqUrl: config.anonymization.ANONYMIZATION_DLQ_URL,
    // Queue URLs are sent as parameters, not used as endpoints: the same client works against AWS and local SQS.
    sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
    queueUrls: new Map<string, Promise<string>>(),
    process: createAnonymizationProcessor({
      connect: createAnonymizeAfterClient({ apiUrl: config.connect.CONNECT_API_URL, tokens, send }),
      rules: dateRulesFrom(config.rules),
    }),
  };
};
type Services = ReturnType<typeof createServices>;

/** The URL of the queue a record came from (`arn:aws:sqs:<region>:<account>:<name>`), looked up once. */
const queueUrlOf = (services: Services, arn: string): Promise<string> => {
  let url = services.queueUrls.get(arn);
  if (!url) {
    const [, , , , account, name] = arn.split(':');
    url = services.sqs
      .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))
      .then(({ QueueUrl }) => QueueUrl as string);
    services.queueUrls.set(arn, url);
  }
  return url;
};

/** Moves records to the DLQ with their reason; returns those that could not be moved (they fail instead). */
const deadLetter = async (services: Services, letters: Array<{ record: SQSRecord; reason: string }>): Promise<SQSRecord[]> => {
  const { dlqUrl } = services;
  if (dlqUrl === undefined) return letters.map(({ record }) => record);
  const unmoved = await Promise.all(
    inChunksOf(SQS_BATCH, letters).map(async (chunk) => {
      try {
        const { Failed = [] } = await services.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: dlqUrl,
            Entries: chunk.map(({ record, reason }, index) => ({
              Id: String(index),
              MessageBody: record.body,
              MessageAttributes: {
                dead_letter_reason: { DataType: 'String', StringValue: reason },
                source_message_id: { DataType: 'String', StringValue: record.messageId },
              },
            })),
          }),
        );
        return Failed.map((failure) => (chunk[Number(failure.Id)] as (typeof chunk)[number]).record);
      } catch (error) {
        logger.error('Could not move invalid updates to the dead-letter queue: they fail instead', { error: String(error) });
        return chunk.map(({ record }) => record);
      }
    }),
  );
  return unmoved.flat();
};

/** Hides records handed back until their next attempt; if that fails they come back after the queue's visibility timeout. */
const handBack = async (services: Services, delays: Array<{ record: SQSRecord; afterSeconds: number }>): Promise<void> => {
  await Promise.all(
    inChunksOf(SQS_BATCH, delays).map(async (chunk) => {
      try {
        await services.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: await queueUrlOf(services, (chunk[0] as (typeof chunk)[number]).record.eventSourceARN),
            Entries: chunk.map(({ record, afterSeconds }, index) => ({
              Id: String(index),
              ReceiptHandle: record.receiptHandle,
              VisibilityTimeout: afterSeconds,
            })),
          }),
        );
      } catch (error) {
        logger.warn('Could not delay the updates handed back', { error: String(error) });
      }
    }),
  );
};

/** Carries the dispositions out on SQS; returns the records that must be reported as failed. */
const settle = async (services: Services, records: SQSRecord[], dispositions: Map<string, Disposition>): Promise<SQSRecord[]> => {
  const letters: Array<{ record: SQSRecord; reason: string }> = [];
  const delays: Array<{ record: SQSRecord; afterSeconds: number }> = [];
  for (const record of records) {
    const disposition = dispositions.get(record.messageId);
    if (disposition?.kind === 'dead-letter') letters.push({ record, reason: disposition.reason });
    if (disposition?.kind === 'retry') delays.push({ record, afterSeconds: disposition.afterSeconds });
  }
  const [unmoved] = await Promise.all([deadLetter(services, letters), handBack(services, delays)]);
  return [...unmoved, ...delays.map(({ record }) => record)];
};

/**
 * The `anonymization` function: anonymize-after updates from the anonymization queue, a whole batch at a
 * time so that Connect gets up to 100 orders per call. Only the records that cannot be applied fail.
 */
export const createAnonymizationHandler = (env: NodeJS.ProcessEnv = process.env) => {
  let services: Services | undefined;

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A configuration error fails the whole invocation, loudly: it is the operator's to fix.
    services ??= createServices(env);
    const ready = services;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const records = event.Records.map((record) => ({
      id: record.messageId,
      body: record.body,
      sentTimestamp: Number(record.attributes.SentTimestamp),
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
    }));
    const dispositions = await withDeadline(deadline, () => ready.process(records));
    const failed = await settle(ready, event.Records, dispositions);
    return { batchItemFailures: failed.map((record) => ({ itemIdentifier: record.messageId })) };
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createAnonymizationHandler();
