import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createMessageProcessor, type Disposition } from '../lib/actions/index.js';
import { createMmpDirectory } from '../lib/channel/index.js';
import { readOrderActionsConfig } from '../lib/config.js';
import { createConnectClient, createTokenProvider } from '../lib/connect/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { logger, metrics } from '../lib/observability.js';
import { secretFrom } from '../lib/secrets.js';

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readOrderActionsConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  const tokens = createTokenProvider({
    authUrl: config.connect.CONNECT_AUTH_URL,
    clientId: config.connect.CONNECT_CLIENT_ID,
    clientSecret: secretFrom(config.connect.CONNECT_CLIENT_SECRET, config.connect.CONNECT_CLIENT_SECRET_PARAM, config.runtime.SECRETS_MAX_AGE_SECONDS),
    send,
  });
  return {
    config,
    // Queue URLs are sent as parameters, not used as endpoints: the same client works against AWS and local SQS.
    sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
    queueUrls: new Map<string, Promise<string>>(),
    process: createMessageProcessor({
      channels: createMmpDirectory({ config: config.mmp, runtime: config.runtime, send }),
      connect: createConnectClient({ apiUrl: config.connect.CONNECT_API_URL, tokens, send }),
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
    await services.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: await queueUrlOf(services, record.eventSourceARN),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: disposition.afterSeconds,
      }),
    );
    throw new RetryLater(disposition.reason);
  }
};

/**
 * The `orderActions` function: Connect's OrderActionEvents from the events queue. Records are independent:
 * one that fails is handed back to SQS alone (ReportBatchItemFailures), and a batch where every record
 * waits on a marketplace outage is not a function error.
 */
export const createOrderActionsHandler = (env: NodeJS.ProcessEnv = process.env) => {
  let services: Services | undefined;
  const processor = new BatchProcessor(EventType.SQS);

  const handleRecord = async (record: SQSRecord, context: Context) => {
    const ready = services as Services;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const disposition = await withDeadline(deadline, () =>
      ready.process({
        body: record.body,
        sentTimestamp: Number(record.attributes.SentTimestamp),
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
      }),
    );
    await settle(ready, record, disposition);
  };

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A configuration error fails the whole invocation, loudly: it is the operator's to fix, not the actions'.
    services ??= createServices(env);
    return processPartialResponse(event, handleRecord, processor, { context, throwOnFullBatchFailure: false });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createOrderActionsHandler();
