import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createAnonymizationProcessor, dateRulesFrom } from '../lib/anonymization/index.js';
import { readAnonymizationConfig } from '../lib/config.js';
import { createAnonymizeAfterClient, tokensFromConfig } from '../lib/connect/index.js';
import { createHttpClient, withDeadline } from '../lib/http/index.js';
import { logger, metrics, tracer } from '../lib/observability.js';
import { createQueueOperations, toQueueMessage, type Disposition } from '../lib/queue/index.js';

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readAnonymizationConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  return {
    dlqUrl: config.anonymization.ANONYMIZATION_DLQ_URL,
    queue: createQueueOperations(),
    process: createAnonymizationProcessor({
      connect: createAnonymizeAfterClient({ apiUrl: config.connect.CONNECT_API_URL, tokens: tokensFromConfig(config.connect, config.runtime, send), send }),
      rules: dateRulesFrom(config.rules),
    }),
  };
};
type Services = ReturnType<typeof createServices>;

/** Carries the dispositions out on SQS; returns the ids of the records that must be reported as failed. */
const settle = async (services: Services, event: SQSEvent, dispositions: Map<string, Disposition>): Promise<string[]> => {
  const letters = [];
  const delays = [];
  for (const record of event.Records) {
    const disposition = dispositions.get(record.messageId);
    if (disposition?.kind === 'dead-letter') letters.push({ messageId: record.messageId, body: record.body, reason: disposition.reason });
    if (disposition?.kind === 'retry') delays.push({ messageId: record.messageId, receiptHandle: record.receiptHandle, afterSeconds: disposition.afterSeconds });
  }
  const queueArn = event.Records[0]?.eventSourceARN ?? '';
  // Without a DLQ to move them to, invalid updates fail and the queue's redrive policy ends them there.
  const [unmoved] = await Promise.all([
    services.dlqUrl === undefined ? letters.map((letter) => letter.messageId) : services.queue.deadLetter(services.dlqUrl, letters),
    services.queue.handBack(queueArn, delays),
  ]);
  return [...unmoved, ...delays.map((delay) => delay.messageId)];
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
    const dispositions = await withDeadline(deadline, () => ready.process(event.Records.map(toQueueMessage)));
    const failed = await settle(ready, event, dispositions);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createAnonymizationHandler();
