import { ConditionalCheckFailedException, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { lambdaContext } from '../local/runtime/context.js';
import { shipmentEvent } from '../test/fixtures/events.js';
import { startTestStack, type TestStack } from '../test/support/stack.js';
import { percentile, rate, sqsRecord, table } from './figures.js';

const ACTIONS = 1000;
const BATCH_SIZE = 10;
const BATCHES_IN_FLIGHT = 4;

/**
 * orderActions throughput: 1000 CREATE_SHIPMENT events through the real handler (4 batches of 10 in flight)
 * against the local simulators and dynalite, compared with the limit: the same HTTP calls (OR11, OR23, OR24,
 * the Connect report) plus the two durable writes a correct design needs per action (a conditional put and an
 * update), made directly at the same concurrency.
 */
export const run = async () => {
  const stack = await startTestStack({ env: { RECORD_CONCURRENCY: String(BATCH_SIZE) } });
  try {
    const handler = stack.orderActions();
    await runHandler(stack, handler, orders(stack, BATCH_SIZE, 'warm')); // token, carrier list, connections
    const measured = await runHandler(stack, handler, orders(stack, ACTIONS, 'bench'));
    const limit = await runDirect(stack, orders(stack, ACTIONS, 'limit'));
    const ratio = measured.actionsPerSecond / limit.actionsPerSecond;
    table([
      ['', 'actions/s', 'p50 batch ms', 'p99 batch ms', 'wall s'],
      ['orderActions handler', rate(measured.actionsPerSecond), measured.p50, measured.p99, (measured.wallMs / 1000).toFixed(2)],
      ['limit (direct calls)', rate(limit.actionsPerSecond), limit.p50, limit.p99, (limit.wallMs / 1000).toFixed(2)],
    ]);
    console.log(`ratio handler / limit: ${ratio.toFixed(2)} (goal >= 0.8)`);
    const failed = stack.connect.actions().filter((action) => action.status !== 'SUCCESS').length;
    if (failed > 0) console.log(`warning: ${failed} actions did not end SUCCESS`);
  } finally {
    await stack.stop();
  }
};

const orders = (stack: TestStack, count: number, prefix: string) =>
  Array.from({ length: count }, (_, index) => {
    const orderId = `${prefix.toUpperCase()}-${index}`;
    stack.mmp.addOrder({ order_id: orderId, order_state: 'SHIPPING', order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }] });
    const event = shipmentEvent(orderId, { carrier: 'DHL Express', tracking_number: `T-${orderId}` });
    stack.connect.registerAction(event.data.action_id as string);
    return event;
  });


/** Runs `work` on the items, `concurrency` at a time, and times each run. */
const inFlight = async <T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) => {
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const begin = performance.now();
        await work(item);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
};

const summary = (count: number, { latencies, wallMs }: { latencies: number[]; wallMs: number }) => ({
  actionsPerSecond: (count * 1000) / wallMs,
  p50: percentile(latencies, 50).toFixed(1),
  p99: percentile(latencies, 99).toFixed(1),
  wallMs,
});

const runHandler = async (stack: TestStack, handler: ReturnType<TestStack['orderActions']>, events: Array<{ [key: string]: unknown }>) => {
  const batches: SQSEvent[] = [];
  for (let start = 0; start < events.length; start += BATCH_SIZE) {
    batches.push({ Records: events.slice(start, start + BATCH_SIZE).map((event) => sqsRecord(JSON.stringify(event), stack.queue.queueArn)) });
  }
  const timing = await inFlight(batches, BATCHES_IN_FLIGHT, async (batch) => {
    const response = await handler(batch, lambdaContext('orderActions', 60_000));
    if (response.batchItemFailures.length > 0) throw new Error(`${response.batchItemFailures.length} records failed`);
  });
  return summary(events.length, timing);
};

/** The same calls as the handler makes per action, made directly: the speed it cannot beat. */
const runDirect = async (stack: TestStack, events: Array<{ data: Record<string, unknown> }>) => {
  const mmp = { authorization: 'local-mmp-key', 'content-type': 'application/json' };
  const token = await fetch(stack.connect.authUrl, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'local-client', client_secret: 'local-secret' }),
  }).then(async (response) => ((await response.json()) as { access_token: string }).access_token);
  const table = stack.env.IDEMPOTENCY_TABLE;
  const expect2xx = (response: Response) => {
    if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
    return response.arrayBuffer();
  };

  const timing = await inFlight(events, BATCHES_IN_FLIGHT * BATCH_SIZE, async (event) => {
    const orderId = event.data.channel_order_id as string;
    const actionId = event.data.action_id as string;
    try {
      await stack.aws.dynamodb.send(
        new PutItemCommand({ TableName: table, Item: { id: { S: `limit#${actionId}` }, status: { S: 'INPROGRESS' } }, ConditionExpression: 'attribute_not_exists(id)' }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    await fetch(`${stack.mmp.url}/api/orders?order_ids=${orderId}`, { headers: mmp }).then(expect2xx);
    await fetch(`${stack.mmp.url}/api/orders/${orderId}/tracking`, { method: 'PUT', headers: mmp, body: JSON.stringify({ carrier_code: 'DHL', tracking_number: `T-${orderId}` }) }).then(expect2xx);
    await fetch(`${stack.mmp.url}/api/orders/${orderId}/ship`, { method: 'PUT', headers: mmp }).then(expect2xx);
    await stack.aws.dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { id: { S: `limit#${actionId}` } },
        UpdateExpression: 'SET #status = :done',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': { S: 'COMPLETED' } },
      }),
    );
    await fetch(`${stack.connect.apiUrl}/v1/orders/actions/${actionId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUCCESS' }),
    }).then(expect2xx);
  });
  return summary(events.length, timing);
};
