import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

/** Small helpers shared by the benchmarks: they print figures, they assert nothing. */
export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

export const rate = (value: number) => value.toFixed(1);

/** Prints rows as an aligned text table (first row = header). */
export const table = (rows: Array<Array<string | number>>) => {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => String(row[column] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((cell, column) => String(cell).padEnd(widths[column] ?? 0)).join('  '));
};

/** An SQS record as Lambda hands it over, for benches that invoke a handler directly. */
export const sqsRecord = (body: string, queueArn: string): SQSRecord => ({
  messageId: randomUUID(),
  receiptHandle: randomUUID(),
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(Date.now()),
    SenderId: 'AIDABENCH',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: 'eu-west-1',
});
