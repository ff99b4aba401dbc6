import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SQSClient,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { logger, traced } from '../observability.js';

/** SendMessageBatch and ChangeMessageVisibilityBatch take at most 10 entries. */
const SQS_BATCH = 10;

export const inChunksOf = <T>(size: number, items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

export interface HandBack {
  receiptHandle: string;
  afterSeconds: number;
}

export interface OutgoingMessage {
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
}

export interface DeadLetterMove {
  messageId: string;
  body: string;
  reason: string;
}

/**
 * Sends messages ten to a SendMessageBatch call; answers the indexes of those not sent (a call that failed fails its
 * ten, logged).
 */
export const sendInBatches = async (
  sqs: SQSClient,
  queueUrl: string,
  entries: OutgoingMessage[],
): Promise<number[]> => {
  const unsent = await Promise.all(
    inChunksOf(
      SQS_BATCH,
      entries.map((entry, index) => ({ entry, index })),
    ).map(async (chunk) => {
      try {
        const { Failed = [] } = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map(({ entry }, position) => ({
              Id: String(position),
              MessageBody: entry.body,
              ...(entry.attributes && { MessageAttributes: entry.attributes }),
            })),
          }),
        );
        return Failed.map((failure) => (chunk[Number(failure.Id)] as { index: number }).index);
      } catch (error) {
        logger.warn('A SendMessageBatch call failed', { error: String(error) });
        return chunk.map(({ index }) => index);
      }
    }),
  );
  return unsent.flat();
};

/**
 * What the functions do on SQS besides what the event source mapping does for them: hand a message back
 * for a chosen delay, and move a message to a DLQ with the reason (attribute `dead_letter_reason`).
 */
export const createQueueOperations = () => {
  // Queue URLs are sent as parameters, not used as endpoints: the same client works against AWS and local SQS.
  const sqs = traced(new SQSClient({ useQueueUrlAsEndpoint: false }));
  const urls = new Map<string, Promise<string>>();

  /** The URL of a queue from its ARN (`arn:aws:sqs:<region>:<account>:<name>`), looked up once. */
  const urlOf = (arn: string): Promise<string> => {
    let url = urls.get(arn);
    if (!url) {
      const [, , , , account, name] = arn.split(':');
      url = sqs
        .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))
        .then(({ QueueUrl }) => QueueUrl as string);
      url.catch(() => urls.delete(arn));
      urls.set(arn, url);
    }
    return url;
  };

  return {
    /** Hides received messages until their next attempt; if this fails they come back after the queue's visibility timeout. */
    async handBack(queueArn: string, entries: HandBack[]): Promise<void> {
      if (entries.length === 0) return;
      const queueUrl = await urlOf(queueArn);
      await Promise.all(
        inChunksOf(SQS_BATCH, entries).map(async (chunk) => {
          try {
            await sqs.send(
              new ChangeMessageVisibilityBatchCommand({
                QueueUrl: queueUrl,
                Entries: chunk.map((entry, index) => ({
                  Id: String(index),
                  ReceiptHandle: entry.receiptHandle,
                  VisibilityTimeout: entry.afterSeconds,
                })),
              }),
            );
          } catch (error) {
            logger.warn('Could not delay the messages handed back: they return after the visibility timeout', {
              error: String(error),
            });
          }
        }),
      );
    },

    /** Sends messages in SendMessageBatch calls; throws when some could not be sent. */
    async sendAll(queueUrl: string, bodies: string[]): Promise<void> {
      const unsent = await sendInBatches(
        sqs,
        queueUrl,
        bodies.map((body) => ({ body })),
      );
      if (unsent.length > 0) throw new Error(`${unsent.length} of ${bodies.length} messages not sent`);
    },

    /** Moves messages to a DLQ with their reason; returns the ids of those that could not be moved. */
    async deadLetter(dlqUrl: string, letters: DeadLetterMove[]): Promise<string[]> {
      const unmoved = await sendInBatches(
        sqs,
        dlqUrl,
        letters.map((letter) => ({
          body: letter.body,
          attributes: {
            dead_letter_reason: { DataType: 'String', StringValue: letter.reason },
            source_message_id: { DataType: 'String', StringValue: letter.messageId },
          },
        })),
      );
      if (unmoved.length > 0) logger.error('Could not move messages to the dead-letter queue: they fail instead');
      return unmoved.map((index) => (letters[index] as DeadLetterMove).messageId);
    },
  };
};

export type QueueOperations = ReturnType<typeof createQueueOperations>;
