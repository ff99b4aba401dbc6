import type { Disposition } from './messages.js';
import type { QueueOperations } from './operations.js';

interface SettledRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
}

/**
 * Carries dispositions out on SQS: dead letters moved to `dlqUrl` with their reason, retries hidden for their
 * delay. Returns the ids of the records to report as batch item failures (retries, and letters not moved:
 * without a DLQ URL the queue's redrive policy ends them there).
 */
export const settleDispositions = async (
  queue: QueueOperations,
  options: { queueArn: string; dlqUrl: string | undefined },
  records: SettledRecord[],
  dispositions: Map<string, Disposition>,
): Promise<string[]> => {
  const letters = [];
  const delays = [];
  for (const record of records) {
    const disposition = dispositions.get(record.messageId);
    if (disposition?.kind === 'dead-letter')
      letters.push({ messageId: record.messageId, body: record.body, reason: disposition.reason });
    if (disposition?.kind === 'retry')
      delays.push({
        messageId: record.messageId,
        receiptHandle: record.receiptHandle,
        afterSeconds: disposition.afterSeconds,
      });
  }
  const [unmoved] = await Promise.all([
    options.dlqUrl === undefined
      ? letters.map((letter) => letter.messageId)
      : queue.deadLetter(options.dlqUrl, letters),
    queue.handBack(options.queueArn, delays),
  ]);
  return [...unmoved, ...delays.map((delay) => delay.messageId)];
};
