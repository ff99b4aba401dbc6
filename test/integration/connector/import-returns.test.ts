import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startImportStack, STORE, type ImportStack } from '../../support/import-stack.js';

let stack: ImportStack;
beforeAll(async () => {
  stack = await startImportStack();
});
afterAll(async () => stack?.stop());
beforeEach(async () => stack.reset());

const place = (orderId: string) =>
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: 'RECEIVED',
    shopId: STORE,
    created_date: new Date(Date.now() - 600_000).toISOString(),
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 2, price_unit: 10 }],
  });

const returnCalls = () => stack.connect.requests().filter((request) => request.path.endsWith('/v1/orders/returns'));
const heldReturns = () => new Map(stack.connect.heldReturns().map((held) => [held.body.channel_return_id, held]));

/** The seller accepts a return on the marketplace (RT21): its state and last_updated move. */
const acceptOnMarketplace = async (returnId: string) => {
  const response = await fetch(`${stack.mmp.url}/api/returns/accept?shop_id=${STORE}`, {
    method: 'PUT',
    headers: { authorization: stack.env.MMP_API_KEY as string, 'content-type': 'application/json' },
    body: JSON.stringify({ returns: [{ id: returnId, accepted: true }] }),
  });
  expect(response.status).toBe(200);
};

describe('orderSync: returns, at most one upsertReturns a minute per store (invariant 16)', () => {
  it('sends the returns changed since the returns cursor, and coalesces what changes within the minute into the next call', async () => {
    place('RET-A');
    place('RET-B');
    const first = stack.mmp.addReturn({ order_id: 'RET-A' });

    await stack.sync();
    expect(returnCalls().map((call) => call.status)).toEqual([200]);
    expect(heldReturns().get(first.id)?.body).toMatchObject({ channel_order_id: 'RET-A', status: 'REQUEST_INITIATED' });

    const second = stack.mmp.addReturn({ order_id: 'RET-B' });
    await acceptOnMarketplace(first.id);
    await stack.sync();
    await stack.sync();

    expect(returnCalls()).toHaveLength(1);
    expect((await stack.state.pendingReturns(STORE)).pending.sort()).toEqual([first.id, second.id].sort());

    await stack.aMinuteLater();
    await stack.sync();

    expect(returnCalls().map((call) => call.status)).toEqual([200, 200]);
    for (const call of returnCalls()) expect(call.schemaErrors).toEqual([]);
    const sent = (returnCalls()[1]!.body as { returns: Array<{ channel_return_id: string }> }).returns.map(
      (item) => item.channel_return_id,
    );
    expect(sent.sort()).toEqual([first.id, second.id].sort());
    expect(heldReturns().get(first.id)?.body).toMatchObject({
      status: 'OPENED',
      channel_updated_at: stack.mmp.return(first.id)?.last_updated,
    });
    expect(heldReturns().has(second.id)).toBe(true);
    expect((await stack.state.pendingReturns(STORE)).pending).toEqual([]);
  });

  it('pushes the order of a return Connect refuses for not holding it, then the return with the next call: never dropped', async () => {
    place('RET-C');
    await stack.sync();
    // Connect forgets the order (it never took it, in effect): the return will name an order it does not hold.
    stack.connect.reset();
    const lost = stack.mmp.addReturn({ order_id: 'RET-C' });

    await stack.aMinuteLater();
    await stack.sync();

    const [refused] = returnCalls();
    expect(
      (refused!.body as { returns: Array<{ channel_return_id: string }> }).returns.map(
        (item) => item.channel_return_id,
      ),
    ).toEqual([lost.id]);
    expect(stack.connect.heldOrders().map((order) => order.body.channel_order_id)).toEqual(['RET-C']);
    expect(heldReturns().has(lost.id)).toBe(false);
    expect((await stack.state.pendingReturns(STORE)).pending).toEqual([lost.id]);

    await stack.aMinuteLater();
    await stack.sync();

    expect(heldReturns().has(lost.id)).toBe(true);
    expect((await stack.state.pendingReturns(STORE)).pending).toEqual([]);
    expect(await stack.state.parkedIds(STORE, 'returns')).toEqual([]);
  });
});

describe('orderSync: a return Connect keeps refusing', () => {
  it("is parked with Connect's codes once refused again after its order was upserted, and the others go on", async () => {
    place('RET-Z');
    const good = stack.mmp.addReturn({ order_id: 'RET-Z' });
    // A line the order does not have: Connect refuses the return whatever is done for the order.
    const bad = stack.mmp.addReturn({ order_id: 'RET-Z', return_lines: [{ order_line_id: 'RET-Z-9', quantity: 1 }] });

    await stack.sync();
    expect(heldReturns().has(good.id)).toBe(true);
    expect((await stack.state.pendingReturns(STORE)).pending).toEqual([bad.id]);

    await stack.aMinuteLater();
    await stack.sync();

    expect(await stack.state.parked(STORE, 'returns')).toEqual([
      expect.objectContaining({ id: bad.id, reason: expect.stringMatching(/^Connect refused it twice/) }),
    ]);
    expect((await stack.state.pendingReturns(STORE)).pending).toEqual([]);
    expect(heldReturns().has(bad.id)).toBe(false);
  });
});

describe('orderSync: RT11 polled at most every few minutes per store', () => {
  it('skips the returns of a store polled less than ORDER_SYNC_RETURNS_MIN_INTERVAL_SECONDS ago, not its orders', async () => {
    place('RET-P');
    const env = { ORDER_SYNC_RETURNS_MIN_INTERVAL_SECONDS: '240' };

    await stack.sync({ env });
    const again = await stack.sync({ env });

    expect(again[STORE]).toMatchObject({ orders: { result: 'complete' }, returns: 'skipped' });
    expect(stack.mmp.requests().filter((request) => request.route === 'RT11')).toHaveLength(1);
    expect(stack.mmp.requests().filter((request) => request.route === 'OR11')).toHaveLength(2);
  });
});

describe('orderSync: a returns page token the marketplace no longer takes', () => {
  it('reads the window again from its start, and the returns still go', async () => {
    place('RET-T');
    const opened = stack.mmp.addReturn({ order_id: 'RET-T' });
    // A run stopped on a later page of a window, with a token that has expired since.
    const claim = await stack.state.claim(STORE, 'returns', Date.now() + 60_000, 0);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    await stack.state.save(claim as NonNullable<typeof claim>, {
      window: { from, to: new Date().toISOString(), offset: 0, pageToken: 'expired-token' },
    });
    await stack.state.release(claim as NonNullable<typeof claim>, {
      at: from,
      result: 'continues',
      imported: 0,
      parked: 0,
    });

    const runs = await stack.sync();

    expect(runs[STORE]?.returns).toMatchObject({ result: 'complete' });
    const rt11 = stack.mmp.requests().filter((request) => request.route === 'RT11');
    expect(
      rt11.map((request) => [request.status, request.query.page_token ?? request.query.return_last_updated_from]),
    ).toEqual([
      [400, 'expired-token'],
      [200, from],
    ]);
    expect(heldReturns().has(opened.id)).toBe(true);
  });
});
