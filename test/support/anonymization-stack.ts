import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { createAnonymizationHandler } from '../../functions/anonymization.js';
import { createQueueWithDlq, startLocalAws, type LocalAws, type QueuePair } from '../../local/aws/servers.js';
import { toSqsRecord } from '../../local/lambda/invoke.js';
import { lambdaContext } from '../../local/runtime/context.js';
import { startConnectSimulator, type ConnectSimulator } from '../../local/simulators/connect.js';
import { connectSettings } from '../../local/simulators/settings.js';
import type { AnonymizeAfterOrder } from '../../lib/connect/index.js';

/** Real local servers for the anonymization function: fauxqs and the simulated Connect, over HTTP. */
export interface AnonymizationStack {
  aws: LocalAws;
  connect: ConnectSimulator;
  queue: QueuePair;
  env: Record<string, string>;
  /**
   * One invocation as Lambda's event source mapping makes it with a batching window: every record visible
   * now, up to `batchSize`; then the records not reported as failed are deleted.
   */
  invoke(options?: { batchSize?: number; timeoutMs?: number }): Promise<{ received: number; failed: string[] }>;
  /** The anonymize-after calls Connect received since the last reset, with their status and orders. */
  calls(): Array<{ status: number; orders: AnonymizeAfterOrder[] }>;
  /** Messages visible, and in flight (handed back or being handled), on a queue. */
  depth(queueUrl: string): Promise<{ visible: number; inFlight: number }>;
  /** Empties the queue and its DLQ, records handed back included, and resets the simulated Connect. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

let stackCount = 0;

export const startAnonymizationStack = async (
  envOverrides: Record<string, string> = {},
): Promise<AnonymizationStack> => {
  const aws = await startLocalAws();
  // The AWS SDK reads its endpoints and credentials from the process environment, in Lambda as here.
  Object.assign(process.env, aws.env);
  const queue = await createQueueWithDlq(aws.sqs, `anonymization-${(stackCount += 1)}`, {
    maxReceiveCount: 3,
    visibilityTimeoutSeconds: 30,
  });
  const connect = await startConnectSimulator();
  const env = {
    ...aws.env,
    ...connectSettings(connect),
    ANONYMIZATION_DLQ_URL: queue.dlqUrl,
    ...envOverrides,
  };
  const handler = createAnonymizationHandler(env);

  const receiveVisible = async (limit: number): Promise<Message[]> => {
    const messages: Message[] = [];
    while (messages.length < limit) {
      const { Messages = [] } = await aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.queueUrl,
          MaxNumberOfMessages: Math.min(10, limit - messages.length),
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) return messages;
      messages.push(...Messages);
    }
    return messages;
  };

  return {
    aws,
    connect,
    queue,
    env,
    async invoke({ batchSize = 10_000, timeoutMs = 120_000 } = {}) {
      const records = (await receiveVisible(batchSize)).map((message) => toSqsRecord(message, queue.queueArn));
      if (records.length === 0) return { received: 0, failed: [] };
      const { batchItemFailures } = await handler({ Records: records }, lambdaContext('anonymization', timeoutMs));
      const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
      const done = records.filter((record) => !failed.has(record.messageId));
      for (let start = 0; start < done.length; start += 10) {
        const entries = done
          .slice(start, start + 10)
          .map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle }));
        await aws.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.queueUrl, Entries: entries }));
      }
      return { received: records.length, failed: [...failed] };
    },
    calls: () =>
      connect
        .requests()
        .filter((request) => request.path.endsWith('/v1/orders/anonymize-after'))
        .map((request) => ({
          status: request.status,
          orders: (request.body as { orders: AnonymizeAfterOrder[] }).orders,
        })),
    async depth(queueUrl) {
      const { Attributes = {} } = await aws.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return {
        visible: Number(Attributes.ApproximateNumberOfMessages),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
      };
    },
    async reset() {
      connect.reset();
      await aws.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.queueUrl }));
      await aws.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.dlqUrl }));
    },
    async stop() {
      await connect.close();
      await aws.stop();
    },
  };
};

/** An ISO date-time `days` from now, to the second. */
export const daysFromNow = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
