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
import { createQueueOperations, settleDispositions, toQueueMessage } from '../lib/queue/index.js';

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
/**
 * The `anonymization` function: anonymize-after updates from the anonymization queue, a whole batch at a
 * time so that Connect gets up to 100 orders per call. Only the records that cannot be applied fail.
 */
export const createAnonymizationHandler = (env: NodeJS.ProcessEnv = process.env) => {
  let services: ReturnType<typeof createServices> | undefined;

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A configuration error fails the whole invocation, loudly: it is the operator's to fix.
    services ??= createServices(env);
    const ready = services;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    const dispositions = await withDeadline(deadline, () => ready.process(event.Records.map(toQueueMessage)));
    // Without a DLQ to move them to, invalid updates fail and the queue's redrive policy ends them there.
    const queueArn = event.Records[0]?.eventSourceARN ?? '';
    const failed = await settleDispositions(ready.queue, { queueArn, dlqUrl: ready.dlqUrl }, event.Records, dispositions);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

export const handler = createAnonymizationHandler();
