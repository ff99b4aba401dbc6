import type { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray tracing, on when the stage turns it on (`POWERTOOLS_TRACE_ENABLED`, serverless.yml param `tracing`) and
 * the code runs in Lambda (Powertools' own rule): off in tests and in the local stack. Outbound calls (node:http,
 * lib/http) are traced by the X-Ray SDK's capture of http and https, which Powertools turns on; AWS SDK clients are
 * wrapped with `traced`.
 *
 * The X-Ray SDK is loaded only when tracing is on: loading it installs async hooks (cls-hooked) that make every
 * promise of the process about ten times dearer, traced or not.
 */
const tracingWanted = (env = process.env) =>
  env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false' &&
  Boolean(env.AWS_EXECUTION_ENV) &&
  env.AWS_EXECUTION_ENV !== 'AWS_Lambda_amplify-mock' &&
  !env.AWS_SAM_LOCAL;

export const tracer: Tracer | undefined = tracingWanted()
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mirakl-connect-connector',
    })
  : undefined;

/** The client, its calls traced as subsegments when tracing is on. */
export const traced = <Client>(client: Client): Client => tracer?.captureAWSv3Client(client) ?? client;

const ANNOTATED = ['action_id', 'type', 'channel_order_id', 'store', 'event_id'] as const;

/**
 * One subsegment per record, annotated with its ids, so X-Ray finds the trace of an action by `action_id`.
 * A failure only flags it: error messages may quote what a marketplace answered.
 */
export const traceRecord = <T>(
  ids: Partial<Record<(typeof ANNOTATED)[number], string>>,
  work: () => Promise<T>,
): Promise<T> => {
  if (!tracer?.isTracingEnabled()) return work();
  return tracer.provider.captureAsyncFunc('### record', async (subsegment) => {
    for (const key of ANNOTATED) {
      const value = ids[key];
      if (value !== undefined) subsegment?.addAnnotation(key, value);
    }
    try {
      return await work();
    } catch (error) {
      subsegment?.addErrorFlag();
      throw error;
    } finally {
      subsegment?.close();
    }
  }) as Promise<T>;
};
