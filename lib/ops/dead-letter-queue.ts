import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { REDRIVE_REASON } from '../actions/index.js';
import { inChunksOf } from '../queue/index.js';

/** A message on a DLQ, as an operator needs to see it: never shown with its body, which is only replayed. */
export interface QueuedDeadLetter {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** Why it died: the `dead_letter_reason` orderActions gave it, or SQS's redrive after maxReceiveCount. */
  reason: string;
  sentAt: Date;
  receiveCount: number;
}

/** How long the messages read are hidden from the DLQ's consumer while the operator's command runs. */
const HOLD_SECONDS = 60;
/** The most messages one command reads. */
const MAX_MESSAGES = 1000;

/**
 * Reads the DLQ without consuming it: every visible message is received (and so hidden for a minute), then
 * handed back with `release`, or removed once replayed. Messages in flight (being retried by the DLQ's
 * consumer) are not visible: `inFlight` counts them.
 */
export const createDeadLetterQueue = (sqs: SQSClient, queueUrl: string) => ({
  queueUrl,

  async read(): Promise<{ messages: QueuedDeadLetter[]; inFlight: number }> {
    const messages = new Map<string, QueuedDeadLetter>();
    while (messages.size < MAX_MESSAGES) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: HOLD_SECONDS,
          MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        messages.set(message.MessageId as string, {
          messageId: message.MessageId as string,
          receiptHandle: message.ReceiptHandle as string,
          body: message.Body ?? '',
          reason: message.MessageAttributes?.dead_letter_reason?.StringValue ?? REDRIVE_REASON,
          sentAt: new Date(Number(message.Attributes?.SentTimestamp ?? Date.now())),
          receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
        });
      }
    }
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
    );
    return {
      messages: [...messages.values()],
      inFlight: Math.max(0, Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) - messages.size),
    };
  },

  /** Makes messages read visible again at once. */
  async release(messages: QueuedDeadLetter[]): Promise<void> {
    for (const chunk of inChunksOf(10, messages)) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.receiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
  },

  async remove(message: QueuedDeadLetter): Promise<void> {
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.receiptHandle }));
  },
});

export type DeadLetterQueue = ReturnType<typeof createDeadLetterQueue>;
