import { SendMessageBatchCommand, type BatchResultErrorEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { AnonymizeAfterOrder } from '../connect/index.js';
import { inChunksOf } from '../queue/index.js';

/** SendMessageBatch takes at most 10 messages. */
const MESSAGES_PER_BATCH = 10;
/** Batches in flight at once. */
const CONCURRENT_BATCHES = 8;
/** Tries of a message SQS failed on its side (an entry of `Failed` without `SenderFault`). */
const ATTEMPTS = 3;

export interface EnqueueResult {
  sent: number;
  /** Updates not enqueued, by index in the input, with why. */
  failed: Array<{ index: number; reason: string }>;
}

/**
 * Sends updates to the anonymization queue, 10 per SendMessageBatch, a few batches at a time. Stops at the
 * first request SQS refuses as a whole (credentials, queue URL); the updates not sent are listed.
 */
export const enqueueUpdates = async (options: {
  sqs: SQSClient;
  queueUrl: string;
  orders: AnonymizeAfterOrder[];
  onProgress?: (sent: number, total: number) => void;
}): Promise<EnqueueResult> => {
  const batches = inChunksOf(
    MESSAGES_PER_BATCH,
    options.orders.map((_, index) => index),
  );
  const result: EnqueueResult = { sent: 0, failed: [] };
  let next = 0;
  let stopped: string | undefined;

  const sendBatch = async (indexes: number[]) => {
    let remaining = indexes;
    for (let attempt = 1; remaining.length > 0; attempt += 1) {
      let failed: BatchResultErrorEntry[];
      try {
        ({ Failed: failed = [] } = await options.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: remaining.map((index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(options.orders[index]),
            })),
          }),
        ));
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        stopped ??= reason;
        result.failed.push(...remaining.map((index) => ({ index, reason })));
        return;
      }
      result.sent += remaining.length - failed.length;
      remaining = [];
      for (const failure of failed) {
        const index = Number(failure.Id);
        if (failure.SenderFault || attempt === ATTEMPTS)
          result.failed.push({ index, reason: `SQS ${failure.Code ?? 'error'}` });
        else remaining.push(index);
      }
    }
  };

  const worker = async () => {
    while (stopped === undefined && next < batches.length) {
      await sendBatch(batches[next++] as number[]);
      options.onProgress?.(result.sent, options.orders.length);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_BATCHES }, worker));
  for (const index of batches.slice(next).flat())
    result.failed.push({ index, reason: `not sent: stopped after ${stopped}` });
  result.failed.sort((a, b) => a.index - b.index);
  return result;
};
