import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics namespace for the whole connector. Log lines carry ids and short reasons
 * (event id, action_id, channel_order_id, store), never customer data, request bodies or tokens.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mirakl-connect-connector' });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MiraklConnectConnector',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mirakl-connect-connector',
  // Its own warnings (e.g. an invocation with no metric) go through the logger, as structured lines.
  logger,
});

export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
