import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createOrderActionsDeadLettersHandler } from '../../functions/order-actions-dead-letters.js';
import { createOrderActionsHandler } from '../../functions/order-actions.js';
import {
  createIdempotencyTable,
  createQueueWithDlq,
  startLocalAws,
  type LocalAws,
  type QueuePair,
} from '../../local/aws/servers.js';
import { pollOnce, type SqsHandler } from '../../local/lambda/invoke.js';
import { startConnectSimulator, type ConnectSimulator } from '../../local/simulators/connect.js';
import { startMmpSimulator, type MmpSimulator } from '../../local/simulators/mmp.js';
import { connectSettings, mmpSettings } from '../../local/simulators/settings.js';

/** Real local servers for integration tests: fauxqs, dynalite, the simulated Connect and MMP, over HTTP. */
export interface TestStack {
  aws: LocalAws;
  connect: ConnectSimulator;
  mmp: MmpSimulator;
  queue: QueuePair;
  bucket: string;
  env: Record<string, string>;
  /** A new orderActions container (its own caches), optionally with other settings. */
  orderActions(env?: Record<string, string>): SqsHandler;
  /**
   * Runs the events queue through `handler` as Lambda's event source mapping would, until nothing is left,
   * in flight included (records handed back become visible again and are run again).
   */
  drain(options?: {
    handler?: SqsHandler;
    timeoutMs?: number;
    lambdaTimeoutMs?: number;
  }): Promise<{ invocations: number; failed: number }>;
  /** Runs the DLQ through the orderActionsDeadLetters function until it is empty. */
  drainDeadLetters(): Promise<number>;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  env?: Record<string, string>;
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}

let stackCount = 0;

export const startTestStack = async (options: TestStackOptions = {}): Promise<TestStack> => {
  const id = (stackCount += 1);
  const aws = await startLocalAws();
  // The AWS SDK reads its endpoints and credentials from the process environment, in Lambda as here.
  Object.assign(process.env, aws.env);
  const queue = await createQueueWithDlq(aws.sqs, `connect-events-${id}`, {
    maxReceiveCount: options.maxReceiveCount ?? 5,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
  });
  const tableName = `idempotency-${id}`;
  await createIdempotencyTable(aws.dynamodb, tableName);
  const bucket = `archive-${id}`;
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const connect = await startConnectSimulator({ sqs: { client: aws.sqs, queueUrl: queue.queueUrl } });
  const mmp = await startMmpSimulator();
  const env = {
    ...aws.env,
    ...connectSettings(connect),
    ...mmpSettings(mmp),
    ORDER_ACTIONS_DLQ_URL: queue.dlqUrl,
    IDEMPOTENCY_TABLE: tableName,
    DOCUMENTS_BUCKET: bucket,
    // An order waiting for a state (a shipment before the acceptance) is tried again a second later, not a minute.
    STATE_WAIT_SECONDS: '1',
    ...options.env,
  };
  const orderActions = (overrides: Record<string, string> = {}) => createOrderActionsHandler({ ...env, ...overrides });
  const defaultHandler = orderActions();
  const deadLetters = createOrderActionsDeadLettersHandler(env);

  const inFlight = async (queueUrl: string) => {
    const { Attributes = {} } = await aws.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  };

  return {
    aws,
    connect,
    mmp,
    queue,
    bucket,
    env,
    orderActions,
    async drain({ handler = defaultHandler, timeoutMs = 20_000, lambdaTimeoutMs = 60_000 } = {}) {
      const giveUpAt = Date.now() + timeoutMs;
      let invocations = 0;
      let failed = 0;
      while (Date.now() < giveUpAt) {
        const turn = await pollOnce({
          sqs: aws.sqs,
          ...queue,
          handler,
          functionName: 'orderActions',
          timeoutMs: lambdaTimeoutMs,
        });
        invocations += turn.received > 0 ? 1 : 0;
        failed += turn.failed.length;
        if (turn.received === 0) {
          if ((await inFlight(queue.queueUrl)) === 0) return { invocations, failed };
          await sleep(100);
        }
      }
      throw new Error(`the events queue did not drain within ${timeoutMs} ms`);
    },
    async drainDeadLetters() {
      let settled = 0;
      for (;;) {
        const turn = await pollOnce({
          sqs: aws.sqs,
          queueUrl: queue.dlqUrl,
          queueArn: `${queue.queueArn}-dlq`,
          handler: deadLetters,
          functionName: 'orderActionsDeadLetters',
        });
        if (turn.received === 0) return settled;
        settled += turn.received - turn.failed.length;
      }
    },
    async stop() {
      await connect.close();
      await mmp.close();
      await aws.stop();
    },
  };
};

/** Messages waiting in a queue (e.g. the DLQ), with their attributes; they become visible again 30 s later. */
export const peekMessages = async (aws: LocalAws, queueUrl: string) => {
  const { Messages = [] } = await aws.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      VisibilityTimeout: 30,
    }),
  );
  return Messages;
};
