import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createOrderActionsHandler } from '../../functions/order-actions.js';
import { createQueueWithDlq, startLocalAws, type LocalAws, type QueuePair } from '../../local/aws.js';
import { pollOnce } from '../../local/lambda.js';
import { startConnectSimulator, type ConnectSimulator } from '../../local/simulators/connect.js';
import { startMmpSimulator, type MmpSimulator } from '../../local/simulators/mmp.js';

/** Real local servers for integration tests: fauxqs, dynalite, the simulated Connect and MMP, over HTTP. */
export interface TestStack {
  aws: LocalAws;
  connect: ConnectSimulator;
  mmp: MmpSimulator;
  queue: QueuePair;
  env: Record<string, string>;
  /** Polls the events queue through the real handler, as Lambda's event source mapping would, until it is empty. */
  drain(handler?: ReturnType<typeof createOrderActionsHandler>): Promise<{ invocations: number; failed: number }>;
  stop(): Promise<void>;
}

let queueCount = 0;

export const startTestStack = async (envOverrides: Record<string, string> = {}): Promise<TestStack> => {
  const aws = await startLocalAws();
  // The AWS SDK reads its endpoints and credentials from the process environment, in Lambda as here.
  Object.assign(process.env, aws.env);
  const queue = await createQueueWithDlq(aws.sqs, `connect-events-${(queueCount += 1)}`, { maxReceiveCount: 5, visibilityTimeoutSeconds: 30 });
  const connect = await startConnectSimulator({ sqs: { client: aws.sqs, queueUrl: queue.queueUrl } });
  const mmp = await startMmpSimulator();
  const env = {
    ...aws.env,
    CONNECT_API_URL: connect.apiUrl,
    CONNECT_AUTH_URL: connect.authUrl,
    CONNECT_CLIENT_ID: 'local-client',
    CONNECT_CLIENT_SECRET: 'local-secret',
    MMP_API_URL: mmp.url,
    MMP_API_KEY: 'local-mmp-key',
    ORDER_ACTIONS_DLQ_URL: queue.dlqUrl,
    ...envOverrides,
  };
  const defaultHandler = createOrderActionsHandler(env);

  return {
    aws,
    connect,
    mmp,
    queue,
    env,
    async drain(handler = defaultHandler) {
      let invocations = 0;
      let failed = 0;
      for (;;) {
        const turn = await pollOnce({ sqs: aws.sqs, ...queue, handler, functionName: 'orderActions' });
        if (turn.received === 0) return { invocations, failed };
        invocations += 1;
        failed += turn.failed.length;
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
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 30 }),
  );
  return Messages;
};
