import { ConditionalCheckFailedException, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { lambdaContext } from '../local/runtime/context.js';
import { shipmentEvent } from '../test/fixtures/events.js';
import { startTestStack, type TestStack } from '../test/support/stack.js';
import { measureBundles } from './bundles.bench.js';
import { percentile, rate, sqsRecord, table } from './figures.js';

const ACTIONS = 500;
const BATCH_SIZE = 10;
const BATCHES_IN_FLIGHT = 4;
const ROUNDS = 3;

/**
 * orderActions throughput: 500 CREATE_SHIPMENT events through the real handler (4 batches of 10 in flight, the
 * handler's default concurrency) against the local simulators and dynalite, compared in the same process with the
 * honest limit: the HTTP calls a correct design must make (the token once; OR23, OR24 and the Connect report per
 * action) plus the two durable writes it needs (a conditional PutItem and an UpdateItem on the same dynalite),
 * made directly at the same concurrency (40 in flight). After an untimed run of each, best of 3 alternating runs
 * each; then each function's bundle and cold init.
 */
export const run = async () => {
  const stack = await startTestStack();
  try {
    const handler = stack.orderActions();
    const token = await tokenOf(stack);
    // One untimed run of each first: the token, the carrier list, the connections, and the JIT's warm-up.
    await runHandler(stack, handler, orders(stack, ACTIONS, 'warm'));
    await runLimit(stack, token, orders(stack, ACTIONS, 'warmlimit'));
    const handlerRuns: Figures[] = [];
    const limitRuns: Figures[] = [];
    const readsBefore = readsOf(stack);
    for (let round = 1; round <= ROUNDS; round += 1) {
      handlerRuns.push(await runHandler(stack, handler, orders(stack, ACTIONS, `bench${round}`)));
      limitRuns.push(await runLimit(stack, token, orders(stack, ACTIONS, `limit${round}`)));
    }
    const reads = readsOf(stack) - readsBefore;
    const best = (runs: Figures[]) => runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    const [handlerBest, limitBest] = [best(handlerRuns), best(limitRuns)];
    table([
      ['', 'actions/s (best)', 'p50 batch ms', 'p99 batch ms', 'wall s, 3 runs'],
      [
        'orderActions handler',
        rate(handlerBest.actionsPerSecond),
        handlerBest.p50,
        handlerBest.p99,
        handlerRuns.map(wall).join(' / '),
      ],
      [
        'limit: HTTP + 2 writes',
        rate(limitBest.actionsPerSecond),
        limitBest.p50,
        limitBest.p99,
        limitRuns.map(wall).join(' / '),
      ],
    ]);
    console.log(
      `ratio limit_time / handler_time (best runs): ${(limitBest.wallMs / handlerBest.wallMs).toFixed(2)} (goal >= 0.9)`,
    );
    console.log(`OR11 reads by the handler: ${reads} for ${ROUNDS * ACTIONS} shipments (goal 0)`);
    const notSucceeded = stack.connect.actions().filter((action) => action.status !== 'SUCCESS').length;
    if (notSucceeded > 0) console.log(`warning: ${notSucceeded} actions did not end SUCCESS`);
  } finally {
    await stack.stop();
  }
  console.log('\nBundles (serverless package) and cold init:');
  await measureBundles();
};

interface Figures {
  actionsPerSecond: number;
  p50: string;
  p99: string;
  wallMs: number;
}

const wall = (figures: Figures) => (figures.wallMs / 1000).toFixed(2);
const readsOf = (stack: TestStack) => stack.mmp.requests().filter((request) => request.route === 'OR11').length;

const orders = (stack: TestStack, count: number, prefix: string) =>
  Array.from({ length: count }, (_, index) => {
    const orderId = `${prefix.toUpperCase()}-${index}`;
    stack.mmp.addOrder({
      order_id: orderId,
      order_state: 'SHIPPING',
      order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
    });
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

/** Throughput over the whole run; latencies are per batch of ten, for both sides. */
const summary = (count: number, { latencies, wallMs }: { latencies: number[]; wallMs: number }): Figures => ({
  actionsPerSecond: (count * 1000) / wallMs,
  p50: percentile(latencies, 50).toFixed(1),
  p99: percentile(latencies, 99).toFixed(1),
  wallMs,
});

const runHandler = async (
  stack: TestStack,
  handler: ReturnType<TestStack['orderActions']>,
  events: Array<{ [key: string]: unknown }>,
) => {
  const batches: SQSEvent[] = [];
  for (let start = 0; start < events.length; start += BATCH_SIZE) {
    batches.push({
      Records: events
        .slice(start, start + BATCH_SIZE)
        .map((event) => sqsRecord(JSON.stringify(event), stack.queue.queueArn)),
    });
  }
  const timing = await inFlight(batches, BATCHES_IN_FLIGHT, async (batch) => {
    const response = await handler(batch, lambdaContext('orderActions', 60_000));
    if (response.batchItemFailures.length > 0) throw new Error(`${response.batchItemFailures.length} records failed`);
  });
  return summary(events.length, timing);
};

const tokenOf = async (stack: TestStack) =>
  fetch(stack.connect.authUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'local-client',
      client_secret: 'local-secret',
    }),
  }).then(async (response) => ((await response.json()) as { access_token: string }).access_token);

/**
 * The calls a correct design makes per action, made directly: claim (conditional put), OR23, OR24, report, record
 * (update). Run as batches of ten actions at once, four batches in flight, so its latencies compare with the handler's.
 */
const runLimit = async (stack: TestStack, token: string, events: Array<{ data: Record<string, unknown> }>) => {
  const mmp = { authorization: 'local-mmp-key', 'content-type': 'application/json' };
  const tableName = stack.env.IDEMPOTENCY_TABLE;
  const expect2xx = (response: Response) => {
    if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
    return response.arrayBuffer();
  };
  const act = async (event: { data: Record<string, unknown> }) => {
    const orderId = event.data.channel_order_id as string;
    const actionId = event.data.action_id as string;
    try {
      await stack.aws.dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { id: { S: `limit#${orderId}` }, action: { S: actionId } },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    await fetch(`${stack.mmp.url}/api/orders/${orderId}/tracking`, {
      method: 'PUT',
      headers: mmp,
      body: JSON.stringify({ carrier_code: 'DHL', tracking_number: `T-${orderId}` }),
    }).then(expect2xx);
    await fetch(`${stack.mmp.url}/api/orders/${orderId}/ship`, { method: 'PUT', headers: mmp }).then(expect2xx);
    await fetch(`${stack.connect.apiUrl}/v1/orders/actions/${actionId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'SUCCESS' }),
    }).then(expect2xx);
    await stack.aws.dynamodb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { id: { S: `limit#${orderId}` } },
        UpdateExpression: 'SET outcome = :outcome ADD reported :action',
        ExpressionAttributeValues: { ':outcome': { S: '{"status":"SUCCESS"}' }, ':action': { SS: [actionId] } },
      }),
    );
  };
  const batches: Array<Array<{ data: Record<string, unknown> }>> = [];
  for (let start = 0; start < events.length; start += BATCH_SIZE) batches.push(events.slice(start, start + BATCH_SIZE));
  const timing = await inFlight(batches, BATCHES_IN_FLIGHT, async (batch) => {
    await Promise.all(batch.map(act));
  });
  return summary(events.length, timing);
};
