import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OTHER_STORE, startImportStack, STORE, type ImportStack } from '../../support/import-stack.js';

let stack: ImportStack;
beforeAll(async () => {
  stack = await startImportStack();
});
afterAll(async () => stack?.stop());
beforeEach(async () => stack.reset());

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** `count` orders of store 2005 placed (and last changed) `minutes` ago, created one second apart. */
const place = (prefix: string, count: number, { minutes = 10, state = 'SHIPPING' as const } = {}) =>
  Array.from({ length: count }, (_, index) => {
    const orderId = `${prefix}-${String(index + 1).padStart(3, '0')}`;
    const stamp = new Date(Date.now() - minutes * 60_000 + index * 1000).toISOString();
    stack.mmp.addOrder({
      order_id: orderId,
      order_state: state,
      shopId: STORE,
      created_date: stamp,
      last_updated_date: stamp,
      order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 2, price_unit: 10 }],
    });
    return orderId;
  });

const upsertCalls = () =>
  stack.connect.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/v1/orders'));
const held = () => new Map(stack.connect.heldOrders().map((order) => [order.body.channel_order_id, order]));
const or11Calls = () => stack.mmp.requests().filter((request) => request.route === 'OR11');

/** Every upsert body followed the vendor spec, and no call carried more than 100 orders or two of one order. */
const expectWellFormedUpserts = () => {
  for (const request of upsertCalls()) {
    expect(request.schemaErrors).toEqual([]);
    const ids = (request.body as { orders: Array<{ channel_order_id: string }> }).orders.map(
      (order) => order.channel_order_id,
    );
    expect(ids.length).toBeLessThanOrEqual(100);
    expect(new Set(ids).size).toBe(ids.length);
  }
};

describe('orderSync: the orders changed on the marketplace reach Connect (invariants 13, 14, 16)', () => {
  it('imports a first run 100 per call, whole and stamped with MMP last_updated_date, and saves the cursor', async () => {
    const orders = place('FIRST', 250);

    const runs = await stack.sync();

    expect(runs[STORE]?.orders).toMatchObject({ result: 'complete', imported: 250, parked: 0 });
    expect(held().size).toBe(250);
    expect(upsertCalls().map((call) => call.status)).toEqual([204, 204, 204]);
    expectWellFormedUpserts();
    const order = held().get(orders[0] as string);
    expect(order?.body.channel_updated_at).toBe(stack.mmp.order(orders[0] as string)?.last_updated_date);
    for (const call of or11Calls())
      expect(call.query).toMatchObject({ order_tax_mode: 'TAX_EXCLUDED', max: '100', shop_id: STORE });
    const { position } = await stack.state.read(STORE, 'orders');
    expect(position.window).toBeUndefined();
    expect(Date.parse(position.cursor as string)).toBeGreaterThan(Date.parse(minutesAgo(1)));
  });

  it('re-sends nothing outside the overlap when nothing changed, and only the changed order when one did', async () => {
    const orders = place('AGAIN', 30);
    await stack.sync();
    const { position: first } = await stack.state.read(STORE, 'orders');

    await stack.sync();
    expect(upsertCalls()).toHaveLength(1);
    const second = or11Calls().at(-1)?.query;
    expect(Date.parse(second?.start_update_date as string)).toBe(Date.parse(first.cursor as string) - 120_000);

    stack.mmp.changeOrder(orders[7] as string, { order_state: 'SHIPPED' });
    await stack.sync();

    expect(upsertCalls()).toHaveLength(2);
    const last = upsertCalls().at(-1)?.body as { orders: Array<{ channel_order_id: string; status: string }> };
    expect(last.orders.map((order) => [order.channel_order_id, order.status])).toEqual([[orders[7], 'SHIPPED']]);
  });

  it('does not miss an order changed while a run reads the marketplace: the next run brings it', async () => {
    const [changing, other] = place('DURING', 2);
    // The first OR11 page answers after 1 s; the order changes meanwhile, once the run has claimed the store (its
    // window ends at its start, before the claim).
    stack.mmp.injectFault({ route: 'OR11', times: 1, latencyMs: 1000 });
    const run = stack.sync();
    while ((await stack.state.read(STORE, 'orders')).leasedUntil === undefined) await sleep(20);
    stack.mmp.changeOrder(changing as string, { order_state: 'SHIPPED' });
    await run;
    expect(held().get(other as string)).toBeDefined();
    expect(held().get(changing as string)?.body).not.toMatchObject({ status: 'SHIPPED' });

    await stack.sync();

    expect(held().get(changing as string)?.body).toMatchObject({
      status: 'SHIPPED',
      channel_updated_at: stack.mmp.order(changing as string)?.last_updated_date,
    });
  });

  it('stops near the deadline with its position saved, and the next run goes on from it', async () => {
    place('LONG', 250);
    // The first page takes 6 s of a 30 s invocation; the run stops with less than 25 s left (5 s spare for a slow start).
    stack.mmp.injectFault({ route: 'OR11', times: 1, latencyMs: 6000 });

    const cut = await stack.sync({ timeoutMs: 30_000, env: { ORDER_SYNC_STOP_BEFORE_DEADLINE_SECONDS: '25' } });

    expect(cut[STORE]?.orders).toMatchObject({ result: 'continues', imported: 100 });
    const { position } = await stack.state.read(STORE, 'orders');
    expect(position).toMatchObject({ window: { offset: 100, totalCount: 250 } });
    expect(position.cursor).toBeUndefined();
    expect(held().size).toBe(100);

    const resumed = await stack.sync();

    expect(resumed[STORE]?.orders).toMatchObject({ result: 'complete', imported: 150 });
    expect(held().size).toBe(250);
    expect(upsertCalls()).toHaveLength(3);
    expect(or11Calls()[1]?.query).toMatchObject({
      offset: '100',
      start_update_date: position.window?.from,
      end_update_date: position.window?.to,
    });
    // Then a new window from the old one's end less the overlap, up to this run's start.
    expect(Date.parse(or11Calls()[3]?.query.start_update_date as string)).toBe(
      Date.parse(position.window?.to as string) - 120_000,
    );
    expect((await stack.state.read(STORE, 'orders')).position).toEqual({
      cursor: or11Calls()[3]?.query.end_update_date,
    });
  });

  it('rides out 429 and 503 from the marketplace and from Connect, honouring Retry-After', async () => {
    place('BUSY', 120);
    stack.mmp.injectFault({ route: 'OR11', status: 429, times: 1, retryAfterSeconds: 1 });
    stack.mmp.injectFault({ route: 'OR11', status: 503, times: 1 });
    stack.connect.injectFault({ route: 'upsertOrders', status: 429, times: 1, retryAfterSeconds: 1 });
    stack.connect.injectFault({ route: 'upsertOrders', status: 503, times: 1 });

    const runs = await stack.sync();

    expect(runs[STORE]?.orders).toMatchObject({ result: 'complete', imported: 120 });
    expect(held().size).toBe(120);
    expect(upsertCalls().map((call) => call.status)).toEqual([429, 503, 204, 204]);
  });

  it('renews the Connect token once when an upsert answers 401', async () => {
    place('TOKEN', 3);
    stack.connect.injectFault({ route: 'upsertOrders', status: 401, times: 1 });

    await stack.sync();

    expect(upsertCalls().map((call) => call.status)).toEqual([401, 204]);
    expect(stack.connect.requests().filter((request) => request.path === '/oauth/token')).toHaveLength(2);
    expect(held().size).toBe(3);
  });

  it('keeps the cursor where it was when an outage outlasts the run, and the next run imports from it', async () => {
    place('DOWN', 5);
    stack.connect.injectFault({ route: 'upsertOrders', status: 503, times: 6 });

    const down = await stack.sync();

    expect(down[STORE]?.orders).toMatchObject({ result: 'interrupted' });
    expect((await stack.state.read(STORE, 'orders')).position).toEqual({});
    expect(held().size).toBe(0);

    await stack.sync();

    expect(held().size).toBe(5);
  });
});

describe('orderSync: one bad order never blocks the rest (invariant 15)', () => {
  it('parks an order Connect refuses, naming it by index, while the others land and the cursor moves', async () => {
    const orders = place('POISON', 40);
    stack.connect.configureOrders({ rejectedOrderIds: [orders[17] as string], orderIndexInErrors: true });

    const runs = await stack.sync();

    expect(runs[STORE]?.orders).toMatchObject({ result: 'complete', imported: 39, parked: 1 });
    expect(held().size).toBe(39);
    expect(upsertCalls().map((call) => call.status)).toEqual([400, 204]);
    const parked = await stack.state.parked(STORE, 'orders');
    expect(parked).toEqual([
      expect.objectContaining({
        id: orders[17],
        reason: expect.stringMatching(/^Connect refused it: .* at .*orders\[17\]/),
      }),
    ]);
    expect((await stack.state.read(STORE, 'orders')).position.cursor).toBeDefined();
  });

  it('finds the culprit by halving the call when Connect names no index', async () => {
    const orders = place('HALVE', 40);
    stack.connect.configureOrders({ rejectedOrderIds: [orders[30] as string], orderIndexInErrors: false });

    await stack.sync();

    expect(held().size).toBe(39);
    expect(held().has(orders[30] as string)).toBe(false);
    expect(upsertCalls().length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(40)));
    expect(await stack.state.parked(STORE, 'orders')).toEqual([
      expect.objectContaining({ id: orders[30], reason: expect.stringContaining('found by halving the call') }),
    ]);
  });

  it('parks an order that is invalid for Connect before sending it, with the field path and no personal data', async () => {
    const [bad, good] = place('LOCAL', 2);
    // A currency Connect's Money cannot take (ISO 4217 is three capitals): refused by the schema, never sent.
    stack.mmp.addOrder({ ...orderInput(bad as string), currency_iso_code: 'eu1' });

    const runs = await stack.sync();

    expect(runs[STORE]?.orders).toMatchObject({ imported: 1, parked: 1 });
    expect(held().has(good as string)).toBe(true);
    const sent = upsertCalls().flatMap((call) =>
      (call.body as { orders: Array<{ channel_order_id: string }> }).orders.map((order) => order.channel_order_id),
    );
    expect(sent).toEqual([good]);
    const [parked] = await stack.state.parked(STORE, 'orders');
    expect(parked).toMatchObject({ id: bad, reason: expect.stringMatching(/^invalid for Connect: .*currency/) });
    expect(parked?.reason).not.toMatch(/Durand|Camille|Lilas|Paris|@/);
  });

  it('takes an order off the parked list once it lands (sync:replay goes through orderRefresh)', async () => {
    const orders = place('REPLAY', 3);
    stack.connect.configureOrders({ rejectedOrderIds: [orders[1] as string] });
    await stack.sync();
    expect(await stack.state.parkedIds(STORE, 'orders')).toEqual([orders[1]]);

    stack.connect.configureOrders({ rejectedOrderIds: [] });
    await stack.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.refreshQueue.queueUrl,
        MessageBody: JSON.stringify({ channel_order_id: orders[1], channel_store_id: STORE }),
      }),
    );
    await stack.refresh();

    expect(held().has(orders[1] as string)).toBe(true);
    expect(await stack.state.parkedIds(STORE, 'orders')).toEqual([]);
  });

  it('treats a store Connect does not know as a configuration error: no halving, the cursor waits', async () => {
    place('NOSTORE', 3);

    const runs = await stack.sync({ env: { MMP_STORE_ID: 'unknown-store' } });

    expect(runs['unknown-store']?.orders).toMatchObject({ result: 'configuration-error' });
    expect(upsertCalls().map((call) => call.status)).toEqual([404]);
    expect((await stack.state.read('unknown-store', 'orders')).position).toEqual({});
  });
});

/** The input of `place`'s order, to place it again with a change. */
const orderInput = (orderId: string) => {
  const order = stack.mmp.order(orderId);
  if (!order) throw new Error(`no order ${orderId}`);
  return {
    order_id: orderId,
    order_state: order.order_state,
    shopId: STORE,
    created_date: order.created_date,
    last_updated_date: order.last_updated_date,
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 2, price_unit: 10 }],
  };
};

describe('orderSync: every store served, each on its own', () => {
  it('imports each store into its own origin, and one store failing does not stop the others', async () => {
    place('NORTH', 3);
    const south = ['SOUTH-1', 'SOUTH-2'];
    for (const orderId of south) {
      stack.mmp.addOrder({
        order_id: orderId,
        order_state: 'SHIPPING',
        shopId: OTHER_STORE,
        created_date: minutesAgo(5),
        order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-9', quantity: 1 }],
      });
    }
    const stores = {
      [STORE]: { shop_id: STORE, api_key: stack.env.MMP_API_KEY },
      [OTHER_STORE]: { shop_id: OTHER_STORE, api_key: stack.env.MMP_API_KEY },
      // No such shop on the marketplace: its key is refused.
      '2099': { shop_id: '2099', api_key: stack.env.MMP_API_KEY },
    };

    const runs = await stack.sync({
      env: { MMP_STORES: JSON.stringify(stores), MMP_API_KEY: '', MMP_SHOP_ID: '', MMP_STORE_ID: '' },
    });

    expect(runs[STORE]?.orders).toMatchObject({ result: 'complete', imported: 3 });
    expect(runs[OTHER_STORE]?.orders).toMatchObject({ result: 'complete', imported: 2 });
    expect(runs['2099']?.orders).toMatchObject({ result: 'interrupted' });
    const origins = upsertCalls()
      .map((call) => (call.body as { origin: { channel_store_id: string } }).origin.channel_store_id)
      .sort();
    expect(origins).toEqual([STORE, OTHER_STORE]);
    expect(held().get('SOUTH-1')?.channel_store_id).toBe(OTHER_STORE);
    expect(await stack.state.knownStores()).toEqual(['2005', '2006', '2099']);
  });
});
