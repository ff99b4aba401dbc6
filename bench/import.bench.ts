import { fork } from 'node:child_process';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { MAX_UPSERT_ITEMS } from '../lib/connect/index.js';
import { OTHER_STORE, startImportStack, STORE, type ImportStack } from '../test/support/import-stack.js';
import { percentile, rate, table } from './figures.js';
import type { OrderSyncProcessReport } from './order-sync-process.js';

const SIZES = [1000, 5000];
const STORES = [STORE, OTHER_STORE];
const STATES = ['WAITING_ACCEPTANCE', 'SHIPPING', 'SHIPPED', 'RECEIVED'] as const;
const BUCKET = 'import-bench';
/** How often the bench looks at what Connect holds: the resolution of the import lag. */
const LOOK_EVERY_MS = 50;
const MB = 1024 * 1024;

/**
 * The import (orderSync) on N orders placed on the simulated marketplace over 2 stores: the real handler, in a
 * process of its own, invoked as the schedule would until every store is caught up, against the simulators,
 * dynalite and fauxqs (documents on, as deployed: OR72 for every page). Figures: orders/s, OR11 and upsertOrders
 * calls against the minimum (ceil(N/100) of each per store), import lag (upsert time − MMP last_updated_date, the
 * upsert time being when Connect is first seen holding the order), and the function's peak memory for 1,000 and
 * 5,000 orders (the goal: flat in N).
 */
export const run = async () => {
  const stack = await startImportStack();
  try {
    await stack.aws.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const rows: Array<Array<string | number>> = [
      [
        'orders',
        'orders/s',
        'OR11 calls (min)',
        'upsertOrders calls (min)',
        'OR72 calls',
        'lag p50 s',
        'lag p99 s',
        'peak heap MB',
        'max RSS MB',
        'invocations',
      ],
    ];
    for (const size of SIZES) {
      await stack.reset();
      const figures = await importOrders(stack, size);
      rows.push([
        size,
        rate(figures.imported / (figures.report.wallMs / 1000)),
        `${figures.or11Calls} (${figures.minimumCalls})`,
        `${figures.upsertCalls} (${figures.minimumCalls})`,
        figures.or72Calls,
        (percentile(figures.lagsMs, 50) / 1000).toFixed(1),
        (percentile(figures.lagsMs, 99) / 1000).toFixed(1),
        (figures.report.peakHeapBytes / MB).toFixed(0),
        (figures.report.maxRssBytes / MB).toFixed(0),
        figures.report.invocations,
      ]);
      if (figures.imported !== size) console.log(`warning: Connect holds ${figures.imported} of ${size} orders`);
    }
    table(rows);
    console.log(
      'lag: every order is placed before the first run, so it includes the wait for the run and the backlog before it',
    );
    console.log('memory goal: flat in N (pages of 100 read, sent and forgotten)');
  } finally {
    await stack.stop();
  }
};

const place = (stack: ImportStack, size: number) => {
  for (let index = 0; index < size; index += 1) {
    const orderId = `IMP-${size}-${index}`;
    const lines = 1 + (index % 3);
    stack.mmp.addOrder({
      order_id: orderId,
      order_state: STATES[index % STATES.length],
      shopId: STORES[index % STORES.length],
      order_lines: Array.from({ length: lines }, (_, line) => ({
        order_line_id: `${orderId}-${line + 1}`,
        offer_sku: `SKU-${line + 1}`,
        quantity: 1 + line,
        price_unit: 19.9 + line,
      })),
    });
  }
};

const importOrders = async (stack: ImportStack, size: number) => {
  place(stack, size);
  const env = {
    ...process.env,
    ...stack.env,
    MMP_STORES: JSON.stringify(
      Object.fromEntries(STORES.map((store) => [store, { shop_id: store, api_key: stack.env.MMP_API_KEY }])),
    ),
    MMP_API_KEY: '',
    MMP_SHOP_ID: '',
    MMP_STORE_ID: '',
    DOCUMENTS_BUCKET: BUCKET,
    ORDER_REFRESH_QUEUE_URL: stack.refreshQueue.queueUrl,
  };
  const firstSeen = new Map<string, number>();
  const look = () => {
    const now = Date.now();
    for (const held of stack.connect.heldOrders())
      if (!firstSeen.has(held.body.channel_order_id)) firstSeen.set(held.body.channel_order_id, now);
  };
  const looking = setInterval(look, LOOK_EVERY_MS);
  const report = await new Promise<OrderSyncProcessReport>((resolve, reject) => {
    const child = fork(new URL('./order-sync-process.ts', import.meta.url), {
      execArgv: ['--import', 'tsx'],
      env,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (message) => resolve(message as OrderSyncProcessReport));
    child.once('exit', (code) => reject(new Error(`the orderSync process ended (${code}) without a report`)));
  });
  clearInterval(looking);
  look();

  const lagsMs = [...firstSeen].map(
    ([orderId, seen]) => seen - Date.parse(stack.mmp.order(orderId)?.last_updated_date ?? ''),
  );
  const upserts = stack.connect
    .requests()
    .filter((request) => request.method === 'POST' && request.path.endsWith('/v1/orders'));
  const mmpCalls = stack.mmp.requests();
  return {
    report,
    imported: firstSeen.size,
    lagsMs,
    or11Calls: mmpCalls.filter((request) => request.route === 'OR11').length,
    or72Calls: mmpCalls.filter((request) => request.route === 'OR72').length,
    upsertCalls: upserts.length,
    minimumCalls: STORES.reduce((sum, _store, index) => sum + Math.ceil(ordersOf(size, index) / MAX_UPSERT_ITEMS), 0),
  };
};

/** How many of `size` orders `place` gives the store at `storeIndex`. */
const ordersOf = (size: number, storeIndex: number) => Math.ceil((size - storeIndex) / STORES.length);
