/** Logs, metrics and traces of the whole connector (Powertools); see the files of lib/observability/. */
export { errorForLog } from './observability/errors.js';
export { logger } from './observability/logger.js';
export type { Log } from './observability/logger.js';
export {
  count,
  countBy,
  measure,
  MetricName,
  metrics,
  MetricUnit,
  publishMetrics,
} from './observability/metrics.js';
export { observeRecord } from './observability/record-context.js';
export type { RecordIds } from './observability/record-context.js';
export { traced, tracer } from './observability/tracer.js';
