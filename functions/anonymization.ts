import type { SQSEvent } from 'aws-lambda';
import { createAnonymizationProcessor, dateRulesFrom } from '../lib/anonymization/index.js';
import { readAnonymizationConfig } from '../lib/config/index.js';
import { createAnonymizeAfterClient, tokensFromConfig } from '../lib/connect/index.js';
import { createHttpClient } from '../lib/http/index.js';
import { createQueueOperations, settleBatch, toQueueMessage } from '../lib/queue/index.js';
import { lambdaFunction } from '../lib/lambda-function.js';

/** Built once per container, on the first event, after the configuration has been validated. */
const createServices = (env: NodeJS.ProcessEnv) => {
  const config = readAnonymizationConfig(env);
  const send = createHttpClient({ timeoutMs: config.runtime.HTTP_TIMEOUT_MS });
  return {
    dlqUrl: config.anonymization.ANONYMIZATION_DLQ_URL,
    queue: createQueueOperations(),
    process: createAnonymizationProcessor({
      connect: createAnonymizeAfterClient({
        apiUrl: config.connect.CONNECT_API_URL,
        tokens: tokensFromConfig(config.connect, config.runtime, send),
        send,
      }),
      rules: dateRulesFrom(config.rules),
    }),
  };
};
/**
 * The `anonymization` function: anonymize-after updates from the anonymization queue, a whole batch at a
 * time so that Connect gets up to 100 orders per call. Only the records that cannot be applied fail.
 */
export const createAnonymizationHandler = (env: NodeJS.ProcessEnv = process.env) =>
  lambdaFunction(
    () => createServices(env),
    async (event: SQSEvent, services) =>
      settleBatch(event, services, await services.process(event.Records.map(toQueueMessage))),
  );

export const handler = createAnonymizationHandler();
