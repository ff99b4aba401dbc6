/** Fields every Powertools log line carries; the rest is what the line is about. */
const ROUTINE_FIELDS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
]);

interface EmbeddedMetrics {
  _aws: { CloudWatchMetrics?: Array<{ Metrics?: Array<{ Name: string }> }> };
  [field: string]: unknown;
}

/**
 * A line a function wrote, made readable: a Powertools log line becomes `LEVEL message key=value ...`, an EMF
 * metrics line `METRICS Name=value ...`; anything else is shown as it is.
 */
export const formatHandlerLine = (line: string, container: string): string => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return `${container}  ${line}`;
  }
  if (typeof parsed !== 'object' || parsed === null) return `${container}  ${line}`;
  const record = parsed as Record<string, unknown>;
  if ('_aws' in record) {
    const names =
      (record as EmbeddedMetrics)._aws.CloudWatchMetrics?.flatMap((entry) => entry.Metrics ?? []).map(
        (metric) => metric.Name,
      ) ?? [];
    return `${container}  METRICS ${names.map((name) => `${name}=${String(record[name])}`).join(' ')}`;
  }
  if (typeof record.level !== 'string' || typeof record.message !== 'string') return `${container}  ${line}`;
  const fields = Object.entries(record)
    .filter(([key]) => !ROUTINE_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${container}  ${record.level.padEnd(5)} ${record.message}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}`;
};
