import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { withDeadline } from '../http/index.js';
import { logger, metrics, tracer } from '../observability.js';
import type { Disposition } from './messages.js';
import type { QueueOperations } from './operations.js';
import { settleDispositions } from './settle.js';

/**
 * The skeleton of every SQS-triggered function: its services are built once per container, on the first event
 * (after the configuration has been validated: a configuration error fails the whole invocation, loudly, as it
 * is the operator's to fix); the invocation's end is the deadline of every call made; the three Powertools
 * middlewares (tracer, logger with the Lambda context, metrics) wrap it. `handle` is what is the function's own.
 */
export const sqsFunction = <Services>(
  createServices: () => Services,
  handle: (event: SQSEvent, services: Services, context: Context) => Promise<SQSBatchResponse>,
) => {
  let services: Services | undefined;
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    services ??= createServices();
    const ready = services;
    return withDeadline(Date.now() + context.getRemainingTimeInMillis(), () => handle(event, ready, context));
  })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
};

/**
 * Carries the batch's dispositions out on SQS (`settleDispositions`) and answers with the records to report as
 * failures. Without a DLQ URL, dead letters fail and the queue's redrive policy ends them there.
 */
export const settleBatch = async (
  event: SQSEvent,
  services: { queue: QueueOperations; dlqUrl: string | undefined },
  dispositions: Map<string, Disposition>,
): Promise<SQSBatchResponse> => {
  const queueArn = event.Records[0]?.eventSourceARN ?? '';
  const failed = await settleDispositions(services.queue, { queueArn, dlqUrl: services.dlqUrl }, event.Records, dispositions);
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
};
