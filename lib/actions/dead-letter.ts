import type { S3Client } from '@aws-sdk/client-s3';
import { archiveDeadLetter } from '../archive/index.js';
import { count, logger, MetricName } from '../observability.js';
import { ActionErrorCode, failed } from '../outcome.js';
import type { QueueMessage } from '../queue/index.js';
import { orderKeyOf, readMessage } from './message.js';
import { createExactlyOnce, type ExactlyOnceOptions } from './exactly-once.js';

export interface DeadLetterMessage extends QueueMessage {
  /** Set by orderActions when it moved an unreadable message here itself; absent after SQS's own redrive. */
  deadLetterReason?: string;
}

export const REDRIVE_REASON =
  'no final outcome after maxReceiveCount deliveries (SQS moved it to the dead-letter queue)';

/**
 * The backstop of invariant 1: every action that reaches the DLQ gets a final report. An action with a
 * recorded outcome (e.g. it succeeded but reporting kept failing) is reported with that outcome; one without
 * is recorded and reported FAILED, so a later replay cannot act on the channel behind Connect's back.
 * Every message is then archived with the reason it died, for replay, and deleted.
 */
export const createDeadLetterProcessor = (options: ExactlyOnceOptions & { s3: S3Client; bucket: string }) => {
  const exactlyOnce = createExactlyOnce(options);

  /** `read` is the message as the function already read it (for its log context), or it is read here. */
  return async (message: DeadLetterMessage, read = readMessage(message.body)): Promise<void> => {
    const reason = message.deadLetterReason ?? REDRIVE_REASON;
    const actionId = read.kind === 'action' || read.kind === 'rejected' ? read.actionId : undefined;
    if (actionId) {
      const gaveUp = failed(ActionErrorCode.UNEXPECTED, `The connector gave up on this action: ${reason}`);
      await exactlyOnce(actionId, read.ids, orderKeyOf(read.ids, message.id), async () => gaveUp);
    }
    const key = await archiveDeadLetter(options.s3, options.bucket, {
      messageId: message.id,
      body: message.body,
      reason,
      actionId,
      sentAt: new Date(message.sentTimestamp),
    });
    logger.error('Dead letter settled and archived for replay', { ...read.ids, reason, archive_key: key });
    count(MetricName.DeadLetters);
  };
};
