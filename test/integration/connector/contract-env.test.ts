import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnonymizationHandler } from '../../../functions/anonymization.js';
import { createDocumentArchiveHandler } from '../../../functions/document-archive.js';
import { createOrderActionsDeadLettersHandler } from '../../../functions/order-actions-dead-letters.js';
import { createOrderActionsHandler } from '../../../functions/order-actions.js';
import { createOrderRefreshHandler } from '../../../functions/order-refresh.js';
import { createOrderSyncHandler } from '../../../functions/order-sync.js';
import {
  createIdempotencyTable,
  createQueueWithDlq,
  startLocalAws,
  type LocalAws,
  type QueuePair,
} from '../../../local/aws/servers.js';
import { pollOnce, type SqsHandler } from '../../../local/lambda/invoke.js';
import { lambdaContext } from '../../../local/runtime/context.js';
import { scheduledEvent } from '../../../local/lambda/scheduler.js';
import { startConnectSimulator, type ConnectSimulator } from '../../../local/simulators/connect.js';
import { startMmpSimulator, type MmpSimulator } from '../../../local/simulators/mmp.js';
import { cancelEvent, refundEvent } from '../../fixtures/events.js';

/**
 * The configuration contract (ARCHITECTURE.md, "Configuration contract"): the only variables a deployment is sure
 * to set. The AWS endpoint variables are in it for local servers; AWS_REGION and the credentials are Lambda's own.
 */
const CONTRACT_VARIABLES = [
  'CONNECT_API_URL',
  'CONNECT_SELLER_API_URL',
  'CONNECT_AUTH_URL',
  'CONNECT_CLIENT_ID',
  'CONNECT_CLIENT_SECRET',
  'CONNECT_CLIENT_SECRET_PARAM',
  'MMP_API_URL',
  'MMP_API_KEY',
  'MMP_API_KEY_PARAM',
  'MMP_SHOP_ID',
  'MMP_STORES',
  'MMP_STORES_PARAM',
  'CONNECT_SELLER_CLIENT_ID',
  'CONNECT_SELLER_CLIENT_SECRET',
  'CONNECT_SELLER_CLIENT_SECRET_PARAM',
  'CONNECT_SELLER_AUDIENCE',
  'DOCUMENTS_BUCKET',
  'IDEMPOTENCY_TABLE',
  'ANONYMIZATION_QUEUE_URL',
  'DOCUMENT_ARCHIVE_QUEUE_URL',
  'ORDER_ACTIONS_DLQ_URL',
  'CONNECT_CHANNEL_ID',
  'MMP_STORE_ID',
  'ORDER_REFRESH_QUEUE_URL',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'S3_FORCE_PATH_STYLE',
] as const;
type ContractVariable = (typeof CONTRACT_VARIABLES)[number];
const LAMBDA_VARIABLES = ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

/** The local servers, and a value for every contract variable pointing at them. */
interface World {
  aws: LocalAws;
  connect: ConnectSimulator;
  mmp: MmpSimulator;
  values: Record<ContractVariable, string | undefined>;
  /** The Connect events queue, whose DLQ is ORDER_ACTIONS_DLQ_URL. */
  events: QueuePair;
  /** A queue and its DLQ for one function. */
  queue(name: string): Promise<QueuePair>;
}

/**
 * One function of serverless.yml: the contract variables its deployment sets (nothing else: no knob, no reason
 * map), and one happy record run through the handler built from exactly those, with what must follow from it.
 */
interface ContractRow {
  functionKey: string;
  variables: readonly ContractVariable[];
  runHappyRecord(world: World, env: Record<string, string>): Promise<void>;
}

const CONNECT: readonly ContractVariable[] = [
  'CONNECT_API_URL',
  'CONNECT_AUTH_URL',
  'CONNECT_CLIENT_ID',
  'CONNECT_CLIENT_SECRET',
];
const MMP: readonly ContractVariable[] = ['MMP_API_URL', 'MMP_API_KEY'];
const LOCAL_AWS: readonly ContractVariable[] = [
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'S3_FORCE_PATH_STYLE',
];

/** Sends `body` to the queue and runs one turn of the event source mapping through `handler`. */
const throughQueue = async (
  world: World,
  queue: QueuePair,
  functionKey: string,
  handler: SqsHandler,
  body: unknown,
) => {
  await world.aws.sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: JSON.stringify(body) }));
  return pollOnce({
    sqs: world.aws.sqs,
    queueUrl: queue.queueUrl,
    queueArn: queue.queueArn,
    handler,
    functionName: functionKey,
  });
};

const keysUnder = async (world: World, prefix: string) => {
  const { Contents = [] } = await world.aws.s3.send(
    new ListObjectsV2Command({ Bucket: world.values.DOCUMENTS_BUCKET, Prefix: prefix }),
  );
  return Contents.map((object) => object.Key);
};

/** The import's own: the channel in Connect, and the store of the single-store shop. */
const IMPORT: readonly ContractVariable[] = ['CONNECT_CHANNEL_ID', 'MMP_STORE_ID'];

const ROWS: ContractRow[] = [
  {
    functionKey: 'orderActions',
    variables: [
      ...CONNECT,
      ...MMP,
      'IDEMPOTENCY_TABLE',
      'DOCUMENTS_BUCKET',
      'ORDER_ACTIONS_DLQ_URL',
      'ORDER_REFRESH_QUEUE_URL',
      ...LOCAL_AWS,
    ],
    async runHappyRecord(world, env) {
      const orderId = 'CONTRACT-REFUND';
      world.mmp.addOrder({
        order_id: orderId,
        order_state: 'SHIPPED',
        order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 2 }],
      });
      const event = refundEvent(orderId, { currency: 'EUR', line: { quantity: 1, reason: 'RETURN' } });
      world.connect.registerAction(event.data.action_id as string);

      const turn = await throughQueue(world, world.events, 'orderActions', createOrderActionsHandler(env), event);

      expect(turn).toEqual({ received: 1, failed: [] });
      expect(world.connect.actions().find((action) => action.actionId === event.data.action_id)).toMatchObject({
        status: 'SUCCESS',
      });
      // The operator's code for RETURN, matched on its label "Item returned" (RE01): nothing configured.
      expect(world.mmp.order(orderId)?.order_lines[0]?.refunds).toMatchObject([{ reason_code: '17' }]);
      const { Messages = [] } = await world.aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: world.values.ORDER_REFRESH_QUEUE_URL, MaxNumberOfMessages: 10 }),
      );
      expect(Messages.map((message) => JSON.parse(message.Body ?? '{}'))).toEqual([
        { channel_order_id: orderId, channel_store_id: '2005' },
      ]);
    },
  },
  {
    functionKey: 'orderSync',
    variables: [
      ...CONNECT,
      ...MMP,
      'IDEMPOTENCY_TABLE',
      'DOCUMENTS_BUCKET',
      'ORDER_REFRESH_QUEUE_URL',
      ...IMPORT,
      ...LOCAL_AWS,
    ],
    async runHappyRecord(world, env) {
      const orderId = 'CONTRACT-SYNC';
      world.mmp.addOrder({
        order_id: orderId,
        order_state: 'SHIPPED',
        order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
      });
      const invoice = world.mmp.addDocument(orderId, {
        file_name: 'invoice.pdf',
        type: 'CUSTOMER_INVOICE',
        body: new TextEncoder().encode('%PDF-1.4 contract sync'),
      });
      // The run's window ends at its start: begin once the order's stamp (a few ms ahead of the clock at most) is past.
      while (Date.now() <= Date.parse(world.mmp.order(orderId)?.last_updated_date ?? '')) await sleep(1);

      const runs = await createOrderSyncHandler(env)(scheduledEvent('order-sync'), lambdaContext('orderSync', 60_000));

      expect(runs['2005']?.orders).toMatchObject({ result: 'complete' });
      expect(world.connect.heldOrders().find((order) => order.body.channel_order_id === orderId)).toMatchObject({
        channel_id: '0024',
        channel_store_id: '2005',
      });
      expect(world.connect.channelDocuments(orderId)).toMatchObject([
        { metadata: { channel_document_id: `mmp-2005-${invoice.id}`, type: 'CUSTOMER_INVOICE' } },
      ]);
    },
  },
  {
    functionKey: 'orderRefresh',
    variables: [...CONNECT, ...MMP, 'IDEMPOTENCY_TABLE', 'DOCUMENTS_BUCKET', ...IMPORT, ...LOCAL_AWS],
    async runHappyRecord(world, env) {
      const orderId = 'CONTRACT-REFRESH';
      world.mmp.addOrder({
        order_id: orderId,
        order_state: 'SHIPPING',
        order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
      });
      const bill = world.mmp.addDocument(orderId, {
        file_name: 'delivery.pdf',
        type: 'SYSTEM_DELIVERY_BILL',
        body: new TextEncoder().encode('%PDF-1.4 contract refresh'),
      });
      const queue = await world.queue('order-refresh-row');

      const turn = await throughQueue(world, queue, 'orderRefresh', createOrderRefreshHandler(env), {
        channel_order_id: orderId,
      });

      expect(turn).toEqual({ received: 1, failed: [] });
      expect(world.connect.heldOrders().find((order) => order.body.channel_order_id === orderId)?.body).toMatchObject({
        status: 'AWAITING_SHIPMENT',
      });
      expect(world.connect.channelDocuments(orderId)).toMatchObject([
        { metadata: { channel_document_id: `mmp-2005-${bill.id}`, type: 'DELIVERY_SLIP' } },
      ]);
    },
  },
  {
    functionKey: 'orderActionsDeadLetters',
    variables: [...CONNECT, 'IDEMPOTENCY_TABLE', 'DOCUMENTS_BUCKET', ...LOCAL_AWS],
    async runHappyRecord(world, env) {
      const event = cancelEvent('CONTRACT-DEAD');
      world.connect.registerAction(event.data.action_id as string);
      const deadLetters = {
        queueUrl: world.events.dlqUrl,
        queueArn: `${world.events.queueArn}-dlq`,
        dlqUrl: world.events.dlqUrl,
      };

      const turn = await throughQueue(
        world,
        deadLetters,
        'orderActionsDeadLetters',
        createOrderActionsDeadLettersHandler(env),
        event,
      );

      expect(turn).toEqual({ received: 1, failed: [] });
      expect(world.connect.actions().find((action) => action.actionId === event.data.action_id)).toMatchObject({
        status: 'FAILED',
      });
      expect(await keysUnder(world, 'dead-letters/')).toHaveLength(1);
    },
  },
  {
    functionKey: 'anonymization',
    variables: [...CONNECT, ...LOCAL_AWS],
    async runHappyRecord(world, env) {
      world.connect.registerOrder('contract-channel', 'CONTRACT-ANON');
      const anonymizeAfter = new Date(Date.now() + 400 * 24 * 3600_000).toISOString();
      const queue = await world.queue('anonymization');

      const turn = await throughQueue(world, queue, 'anonymization', createAnonymizationHandler(env), {
        channel_id: 'contract-channel',
        channel_order_id: 'CONTRACT-ANON',
        anonymize_after: anonymizeAfter,
      });

      expect(turn).toEqual({ received: 1, failed: [] });
      expect(
        world.connect.knownOrders().find((order) => order.channel_order_id === 'CONTRACT-ANON')?.anonymize_after,
      ).toBeDefined();
    },
  },
  {
    functionKey: 'documentArchive',
    variables: ['DOCUMENTS_BUCKET', ...MMP, ...LOCAL_AWS],
    async runHappyRecord(world, env) {
      const orderId = 'CONTRACT-DOCS';
      world.mmp.addOrder({
        order_id: orderId,
        order_state: 'SHIPPED',
        order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
      });
      world.mmp.addDocument(orderId, {
        file_name: 'invoice.pdf',
        type: 'CUSTOMER_INVOICE',
        body: new TextEncoder().encode('%PDF-1.4 contract'),
      });
      const queue = await world.queue('document-archive');

      const turn = await throughQueue(world, queue, 'documentArchive', createDocumentArchiveHandler(env), {
        source: 'marketplace',
        order_id: orderId,
      });

      expect(turn).toEqual({ received: 1, failed: [] });
      expect((await keysUnder(world, 'documents/')).filter((key) => key?.includes(orderId))).toHaveLength(1);
    },
  },
];

/** The function keys of serverless.yml: the two-space keys of its `functions:` section. */
const deployedFunctionKeys = (): string[] => {
  const yaml = readFileSync(new URL('../../../serverless.yml', import.meta.url), 'utf8');
  const section = /^functions:\n([\s\S]*?)^\S/m.exec(yaml)?.[1] ?? '';
  return [...section.matchAll(/^ {2}(\w+):\s*$/gm)].map((match) => match[1] as string);
};

let world: World;
beforeAll(async () => {
  const aws = await startLocalAws();
  // The AWS SDK reads its endpoints and credentials from the process, as Lambda's runtime gives them; the
  // handlers themselves are given `env` only.
  Object.assign(process.env, aws.env);
  const connect = await startConnectSimulator();
  const mmp = await startMmpSimulator();
  await createIdempotencyTable(aws.dynamodb, 'contract-idempotency');
  await aws.s3.send(new CreateBucketCommand({ Bucket: 'contract-archive' }));
  let queues = 0;
  const queue = (name: string) =>
    createQueueWithDlq(aws.sqs, `${name}-${(queues += 1)}`, { maxReceiveCount: 3, visibilityTimeoutSeconds: 30 });
  const events = await queue('connect-events');
  world = {
    aws,
    connect,
    mmp,
    events,
    queue,
    // A value for every contract variable a row needs; the others stay unset.
    values: {
      ...(Object.fromEntries(CONTRACT_VARIABLES.map((name) => [name, undefined])) as Record<
        ContractVariable,
        undefined
      >),
      CONNECT_API_URL: connect.apiUrl,
      CONNECT_AUTH_URL: connect.authUrl,
      CONNECT_CLIENT_ID: 'local-client',
      CONNECT_CLIENT_SECRET: 'local-secret',
      MMP_API_URL: mmp.url,
      MMP_API_KEY: 'local-mmp-key',
      IDEMPOTENCY_TABLE: 'contract-idempotency',
      DOCUMENTS_BUCKET: 'contract-archive',
      ORDER_ACTIONS_DLQ_URL: events.dlqUrl,
      ORDER_REFRESH_QUEUE_URL: (await queue('order-refresh')).queueUrl,
      // The simulated Connect's channel and store (its defaults).
      CONNECT_CHANNEL_ID: '0024',
      MMP_STORE_ID: '2005',
      AWS_ENDPOINT_URL_SQS: aws.env.AWS_ENDPOINT_URL_SQS,
      AWS_ENDPOINT_URL_S3: aws.env.AWS_ENDPOINT_URL_S3,
      AWS_ENDPOINT_URL_DYNAMODB: aws.env.AWS_ENDPOINT_URL_DYNAMODB,
      S3_FORCE_PATH_STYLE: 'true',
    },
  };
});
afterAll(async () => {
  await world?.connect.close();
  await world?.mmp.close();
  await world?.aws.stop();
});

describe('every function starts with only the configuration contract and carries one record out', () => {
  it.each(ROWS.map((row) => [row.functionKey, row] as const))('%s', async (_key, row) => {
    const env: Record<string, string> = Object.fromEntries(
      LAMBDA_VARIABLES.map((name) => [name, world.aws.env[name as keyof LocalAws['env']] as string]),
    );
    for (const name of row.variables) {
      const value = world.values[name];
      if (value === undefined) throw new Error(`the test has no value for ${name}`);
      env[name] = value;
    }
    await row.runHappyRecord(world, env);
  });

  it('has a row for every function of serverless.yml', () => {
    expect(ROWS.map((row) => row.functionKey).sort()).toEqual(deployedFunctionKeys().sort());
  });
});
