/** A queue message as the connector's logic sees it, whatever delivered it. */
export interface QueueMessage {
  id: string;
  body: string;
  /** When the message was first sent to the queue (epoch ms): retry windows are measured from it. */
  sentTimestamp: number;
  /** How many times SQS has delivered it, this time included. */
  receiveCount: number;
}

/** What must become of a message once handled. */
export type Disposition =
  | { kind: 'done' }
  /** Can never be handled: moved to the DLQ at once, with the reason. */
  | { kind: 'dead-letter'; reason: string }
  /** Handed back to SQS, visible again after `afterSeconds`. */
  | { kind: 'retry'; reason: string; afterSeconds: number };

/** The fields of a Lambda SQS record the connector reads (structural, so lib/ needs no AWS event types). */
export interface DeliveredRecord {
  messageId: string;
  body: string;
  attributes: { SentTimestamp: string; ApproximateReceiveCount: string };
}

export const toQueueMessage = (record: DeliveredRecord): QueueMessage => ({
  id: record.messageId,
  body: record.body,
  sentTimestamp: Number(record.attributes.SentTimestamp),
  receiveCount: Number(record.attributes.ApproximateReceiveCount),
});
