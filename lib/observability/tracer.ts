import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray tracing, on when the stage turns it on (`POWERTOOLS_TRACE_ENABLED`, serverless.yml param `tracing`) and
 * the code runs in Lambda: off in tests and in the local stack. Outbound `fetch` calls are traced by Powertools
 * itself (undici's diagnostics channel); AWS SDK clients are wrapped with `traced`.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mirakl-connect-connector' });

/** The client, its calls traced as subsegments when tracing is on. */
export const traced = <Client>(client: Client): Client => tracer.captureAWSv3Client(client);

const ANNOTATED = ['action_id', 'type', 'channel_order_id', 'store', 'event_id'] as const;

/**
 * One subsegment per record, annotated with its ids, so X-Ray finds the trace of an action by `action_id`.
 * A failure only flags it: error messages may quote what a marketplace answered.
 */
export const traceRecord = <T>(
  ids: Partial<Record<(typeof ANNOTATED)[number], string>>,
  work: () => Promise<T>,
): Promise<T> => {
  if (!tracer.isTracingEnabled()) return work();
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
