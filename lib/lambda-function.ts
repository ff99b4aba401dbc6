import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { withDeadline } from './http/index.js';
import { logger, metrics, publishMetrics, tracer } from './observability.js';

/** What an invocation gives the function's own code besides its event and services. */
export interface Invocation {
  context: Context;
  /** When the invocation ends (epoch ms): the deadline of every call made within it. */
  deadline: number;
}

/**
 * The skeleton of every function: its services are built once per container, on the first event (after the
 * configuration has been validated: a configuration error fails the whole invocation, loudly, as it is the
 * operator's to fix); the invocation's end is the deadline of every call made; the Powertools middlewares
 * (tracer when tracing is on, logger with the Lambda context, metrics) wrap it. `handle` is what is the function's own.
 */
export const lambdaFunction = <Event, Result, Services>(
  createServices: () => Services,
  handle: (event: Event, services: Services, invocation: Invocation) => Promise<Result>,
) => {
  let built: { services: Services } | undefined;
  const lambda = middy(async (event: Event, context: Context): Promise<Result> => {
    built ??= { services: createServices() };
    const ready = built.services;
    const deadline = Date.now() + context.getRemainingTimeInMillis();
    return withDeadline(deadline, () => handle(event, ready, { context, deadline }));
  });
  if (tracer) lambda.use(captureLambdaHandler(tracer, { captureResponse: false }));
  return lambda
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use({ after: publishMetrics, onError: publishMetrics });
};
