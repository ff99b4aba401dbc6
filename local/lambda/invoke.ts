import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { LOCAL_REGION } from '../aws/region.js';
import { lambdaContext } from '../runtime/context.js';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What Lambda's event source mapping asks SQS for: every system attribute and every message attribute. */
export const receiveRequest = (queueUrl: string, maxMessages: number, waitTimeSeconds: number) =>
  new ReceiveMessageCommand({
    QueueUrl: queueUrl,
    MaxNumberOfMessages: maxMessages,
    WaitTimeSeconds: waitTimeSeconds,
    MessageSystemAttributeNames: ['All'],
    MessageAttributeNames: ['All'],
  });

/** An SQS message as Lambda's event source mapping hands it to the function. */
export const toSqsRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId as string,
  receiptHandle: message.ReceiptHandle as string,
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? 'AIDALOCAL',
    ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: toRecordAttributes(message),
  md5OfBody: message.MD5OfBody ?? '',
  ...(message.MD5OfMessageAttributes && { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: LOCAL_REGION,
});

const toRecordAttributes = (message: Message): SQSMessageAttributes =>
  Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? 'String',
        ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
        ...(value.BinaryValue !== undefined && { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  );

/** Deletes messages by receipt handle, ten per call (the SQS maximum). */
export const deleteMessages = async (sqs: SQSClient, queueUrl: string, receiptHandles: string[]): Promise<void> => {
  for (let start = 0; start < receiptHandles.length; start += 10) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: receiptHandles
          .slice(start, start + 10)
          .map((handle, index) => ({ Id: String(index), ReceiptHandle: handle })),
      }),
    );
  }
};

/**
 * One turn of Lambda's SQS event source mapping, in process (for tests of a handler): receive a batch, invoke
 * the handler, delete the records it did not report as failed. Failed records stay in flight until their
 * visibility timeout ends, then come back (and SQS moves them to the DLQ after maxReceiveCount).
 * `npm start` runs the full mapping instead (event-source-mapping.ts), with each function in its own process.
 */
export const pollOnce = async (options: {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  functionName: string;
  batchSize?: number;
  timeoutMs?: number;
  waitTimeSeconds?: number;
}): Promise<{ received: number; failed: string[] }> => {
  const { Messages = [] } = await options.sqs.send(
    receiveRequest(options.queueUrl, options.batchSize ?? 10, options.waitTimeSeconds ?? 0),
  );
  if (Messages.length === 0) return { received: 0, failed: [] };
  const records = Messages.map((message) => toSqsRecord(message, options.queueArn));
  const response = await options.handler(
    { Records: records },
    lambdaContext(options.functionName, options.timeoutMs ?? 60_000),
  );
  const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
  const done = records.filter((record) => !failed.has(record.messageId)).map((record) => record.receiptHandle);
  await deleteMessages(options.sqs, options.queueUrl, done);
  return { received: records.length, failed: [...failed] };
};
