import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteMessageBatchCommand, PurgeQueueCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createOrderRefreshHandler } from '../../functions/order-refresh.js';
import { createOrderSyncHandler } from '../../functions/order-sync.js';
import { createImportState, importItemId, type ImportState, type StoreRuns } from '../../lib/import/index.js';
import {
  createIdempotencyTable,
  createQueueWithDlq,
  startLocalAws,
  type LocalAws,
  type QueuePair,
} from '../../local/aws/servers.js';
import { toSqsRecord } from '../../local/lambda/invoke.js';
import { lambdaContext } from '../../local/runtime/context.js';
import { scheduledEvent } from '../../local/lambda/scheduler.js';
import { startConnectSimulator, type ConnectSimulator } from '../../local/simulators/connect.js';
import { startMmpSimulator, type MmpSimulator } from '../../local/simulators/mmp.js';
import { updateStamp } from '../../local/simulators/mmp-orders.js';
import { connectSettings } from '../../local/simulators/settings.js';

export const CHANNEL = '0024';
export const STORE = '2005';
export const OTHER_STORE = '2006';
const API_KEY = 'import-key';

/**
 * Real local servers for the import: fauxqs (the order-refresh queue), dynalite (the state table), the simulated
 * Connect (channel 0024, stores 2005 and 2006) and MMP (shops 2005 and 2006), over HTTP. The functions run in
 * process, as handlers, one new container per call unless given.
 */
export interface ImportStack {
  aws: LocalAws;
  connect: ConnectSimulator;
  mmp: MmpSimulator;
  refreshQueue: QueuePair;
  table: string;
  env: Record<string, string>;
  state: ImportState;
  /** One orderSync run (a new container, with `env` over the stack's), with `timeoutMs` of Lambda time. */
  sync(options?: { env?: Record<string, string>; timeoutMs?: number }): Promise<StoreRuns>;
  /** One orderRefresh invocation with every message visible on the refresh queue; the records not failed are deleted. */
  refresh(env?: Record<string, string>): Promise<{ received: number; failed: string[] }>;
  /** Messages on a queue (received with a short visibility, so they come back). */
  peek(queueUrl: string): Promise<Message[]>;
  /**
   * As if a minute had passed for upsertReturns: the store's last call is moved a minute back, and the simulated
   * Connect, which refuses a second call within the minute (429), stops counting for the rest of the test.
   */
  aMinuteLater(store?: string): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

let stackCount = 0;

export const startImportStack = async (): Promise<ImportStack> => {
  const id = (stackCount += 1);
  const aws = await startLocalAws();
  Object.assign(process.env, aws.env);
  let tables = 0;
  const freshTable = async () => {
    const name = `import-state-${id}-${(tables += 1)}`;
    await createIdempotencyTable(aws.dynamodb, name);
    return name;
  };
  const table = await freshTable();
  const refreshQueue = await createQueueWithDlq(aws.sqs, `order-refresh-${id}`, {
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 30,
  });
  const connect = await startConnectSimulator({ channel: { channelId: CHANNEL, storeIds: [STORE, OTHER_STORE] } });
  const mmp = await startMmpSimulator({
    shops: [
      { shopId: STORE, apiKey: API_KEY },
      { shopId: OTHER_STORE, apiKey: API_KEY },
    ],
  });
  const env = {
    ...aws.env,
    ...connectSettings(connect),
    MMP_API_URL: mmp.url,
    MMP_API_KEY: API_KEY,
    MMP_SHOP_ID: STORE,
    MMP_STORE_ID: STORE,
    CONNECT_CHANNEL_ID: CHANNEL,
    IDEMPOTENCY_TABLE: table,
    ORDER_REFRESH_DLQ_URL: refreshQueue.dlqUrl,
    // Runs follow each other at once in the tests: no minimum interval between two polls of a store.
    ORDER_SYNC_MIN_INTERVAL_SECONDS: '0',
    ORDER_SYNC_RETURNS_MIN_INTERVAL_SECONDS: '0',
  };
  const stateOf = (tableName: string) => createImportState({ tableName, client: aws.dynamodb });

  const receiveAll = async (queueUrl: string, visibility?: number): Promise<Message[]> => {
    const messages: Message[] = [];
    for (;;) {
      const { Messages = [] } = await aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
          VisibilityTimeout: visibility,
        }),
      );
      if (Messages.length === 0) return messages;
      messages.push(...Messages);
    }
  };

  const stack: ImportStack = {
    aws,
    connect,
    mmp,
    refreshQueue,
    table,
    env,
    state: stateOf(table),
    async sync({ env: overrides = {}, timeoutMs = 120_000 } = {}) {
      // The simulated marketplace stamps its changes strictly forward, a few ms ahead of the clock when several fall
      // in one millisecond: the run starts once the changes made so far are in the past, as between two real changes.
      const latest = Date.parse(updateStamp());
      while (Date.now() <= latest) await sleep(1);
      const handler = createOrderSyncHandler({ ...stack.env, ...overrides });
      return handler(scheduledEvent('order-sync'), lambdaContext('orderSync', timeoutMs));
    },
    async refresh(overrides = {}) {
      const records = (await receiveAll(refreshQueue.queueUrl)).map((message) =>
        toSqsRecord(message, refreshQueue.queueArn),
      );
      if (records.length === 0) return { received: 0, failed: [] };
      const handler = createOrderRefreshHandler({ ...stack.env, ...overrides });
      const { batchItemFailures } = await handler({ Records: records }, lambdaContext('orderRefresh', 60_000));
      const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
      const done = records.filter((record) => !failed.has(record.messageId));
      for (let start = 0; start < done.length; start += 10) {
        const entries = done
          .slice(start, start + 10)
          .map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle }));
        await aws.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: refreshQueue.queueUrl, Entries: entries }));
      }
      return { received: records.length, failed: [...failed] };
    },
    peek: (queueUrl) => receiveAll(queueUrl, 1),
    async aMinuteLater(store = STORE) {
      connect.configureOrders({ returnsIntervalMs: 0 });
      try {
        await aws.dynamodb.send(
          new UpdateItemCommand({
            TableName: stack.table,
            Key: { id: { S: importItemId(store, 'returns') } },
            UpdateExpression: 'SET returns_call_at = returns_call_at - :minute',
            ConditionExpression: 'attribute_exists(returns_call_at)',
            ExpressionAttributeValues: { ':minute': { N: '60000' } },
          }),
        );
      } catch (error) {
        // No call made yet: nothing to move.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
    /** A fresh state table, and the simulators and queues emptied. */
    async reset() {
      stack.table = await freshTable();
      stack.env = { ...stack.env, IDEMPOTENCY_TABLE: stack.table };
      stack.state = stateOf(stack.table);
      connect.reset();
      mmp.reset();
      await aws.sqs.send(new PurgeQueueCommand({ QueueUrl: refreshQueue.queueUrl }));
      await aws.sqs.send(new PurgeQueueCommand({ QueueUrl: refreshQueue.dlqUrl }));
    },
    async stop() {
      await connect.close();
      await mmp.close();
      await aws.stop();
    },
  };
  return stack;
};
