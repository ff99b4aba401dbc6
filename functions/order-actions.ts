import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createMessageProcessor, HandedBackForOrder, planBatch, retryDelaySeconds, type Disposition } from '../lib/actions/index.js';
import { createMmpDirectory } from '../lib/channel/index.js';
import { readOrderActionsConfig } from '../lib/config.js';
import { connectClientFromConfig } from '../lib/connect/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { createLedger } from '../lib/ledger/index.js';
import { logger, metrics } from '../lib/observability.js';

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readOrderActionsConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  const ledger = createLedger(config.ledger.IDEMPOTENCY_TABLE);
  return {
    config,
    records: ledger.records,
    // Queue URLs are sent as parameters, not used as endpoints: the same client works against AWS and local SQS.
    sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
    queueUrls: new Map<string, Promise<string>>(),
    process: createMessageProcessor({
      ...ledger,
      channels: createMmpDirectory({ config: config.mmp, runtime: config.runtime, send }),
      connect: connectClientFromConfig(config.connect, config.runtime, send),
      retryWindowMs: config.orderActions.RETRY_WINDOW_MINUTES * 60_000,
    }),
  };
};
type Services = ReturnType<typeof createServices>;

class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

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

/** Hides a record until its next attempt is due, instead of the queue's whole visibility timeout. */
const retryAfter = async (services: Services, record: SQSRecord, seconds: number) =>
  services.sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: await queueUrlOf(services, record.eventSourceARN),
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );

const settle = async (services: Services, record: SQSRecord, disposition: Disposition): Promise<void> => {
  if (disposition.kind === 'dead-letter') {
    await services.sqs.send(
      new SendMessageCommand({
        QueueUrl: services.config.orderActions.ORDER_ACTIONS_DLQ_URL,
        MessageBody: record.body,
        MessageAttributes: {
          dead_letter_reason: { DataType: 'String', StringValue: disposition.reason },
          source_message_id: { DataType: 'String', StringValue: record.messageId },
        },
      }),
    );
  } else if (disposition.kind === 'retry') {
    await retryAfter(services, record, disposition.afterSeconds);
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
    const receiveCountOf = (record: SQSRecord) => Number(record.attributes.ApproximateReceiveCount);

    const handleRecord = (record: SQSRecord) =>
      plan
        .run(record.messageId, async () => {
          const disposition = await withDeadline(deadline, () =>
            ready.process({
              id: record.messageId,
              body: record.body,
              sentTimestamp: Number(record.attributes.SentTimestamp),
              receiveCount: receiveCountOf(record),
            }),
          );
          await settle(ready, record, disposition);
        })
        .catch(async (error: unknown) => {
          if (error instanceof HandedBackForOrder) await retryAfter(ready, record, retryDelaySeconds(undefined, receiveCountOf(record)));
          throw error;
        });

    return processPartialResponse(event, handleRecord, processor, { context, throwOnFullBatchFailure: false });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createOrderActionsHandler();
