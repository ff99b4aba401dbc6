import { fileURLToPath } from 'node:url';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrderActionEventValidator } from '../../../local/cli/event-schema.js';
import { startConnectSimulator, type ConnectSimulator } from '../../../local/simulators/connect.js';
import { createSpecValidator } from '../../../local/simulators/spec-validator.js';
import { connectToken } from '../../support/connect-token.js';
import { startLocalQueue, type LocalQueue } from '../../support/local-queue.js';

const connectSpec = createSpecValidator(
  fileURLToPath(new URL('../../../contracts/mirakl-connect-channel-openapi.json', import.meta.url)),
);
const origin = { channel_id: '0024', channel_store_id: '2005' };
const money = (amount: number) => ({ amount, currency: 'EUR' });

/** A complete OrderRequest of two lines, as the import sends it. */
const connectOrder = (id: string, updatedAt = '2026-11-02T10:00:00Z', status = 'AWAITING_ACCEPTANCE') => ({
  channel_order_id: id,
  created_at: '2026-11-02T09:00:00Z',
  channel_updated_at: updatedAt,
  status,
  fulfillment: { type: 'FULFILLED_BY_SELLER' },
  shipping_info: { method: 'STD' },
  order_lines: [1, 2].map((line) => ({
    channel_order_line_id: `${id}-${line}`,
    created_at: '2026-11-02T09:00:00Z',
    updated_at: updatedAt,
    quantity: 1,
    can_cancel: true,
    can_refund: false,
    price: money(19.99),
    total_shipping_price: money(4.9),
    taxes: [{ code: 'TVA-20', rate: 0.2, amount: money(4) }],
    product: { id: `SKU-${line}`, title: `Product ${line}` },
    status,
  })),
});

const connectReturn = (
  orderId: string,
  returnId: string,
  lineIds = [`${orderId}-1`],
  updatedAt = '2026-11-03T10:00:00Z',
) => ({
  channel_order_id: orderId,
  channel_return_id: returnId,
  created_at: '2026-11-03T09:00:00Z',
  channel_updated_at: updatedAt,
  status: 'REQUEST_INITIATED',
  return_lines: lineIds.map((lineId) => ({ channel_order_line_id: lineId, quantity: 1, reason: 'UNWANTED_ITEM' })),
});

describe('Connect simulator: upsertOrders and upsertReturns', () => {
  let connect: ConnectSimulator;
  let token = '';
  beforeAll(async () => {
    connect = await startConnectSimulator();
  });
  afterAll(() => connect.close());
  beforeEach(async () => {
    connect.reset();
    token = await connectToken(connect.authUrl);
  });

  const post = (path: string, body: unknown, bearer: string | null = token) =>
    fetch(`${connect.apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer !== null && { authorization: `Bearer ${bearer}` }) },
      body: JSON.stringify(body),
    });
  const upsertOrders = (orders: unknown[], from: object = origin) => post('/v1/orders', { origin: from, orders });
  const upsertReturns = (returns: unknown[]) => post('/v1/orders/returns', { origin, returns });
  const held = () =>
    connect
      .heldOrders()
      .map((order) => [order.body.channel_order_id, order.channel_updated_at, order.applied, order.ignoredAsStale]);

  it('the order factory of these tests follows the spec, which refuses a wrong order', () => {
    expect(connectSpec.validate('UpsertOrdersRequest', { origin, orders: [connectOrder('O-1')] })).toEqual([]);
    expect(
      connectSpec.validate('UpsertOrdersRequest', { origin, orders: [{ ...connectOrder('O-1'), status: 'WAITING' }] }),
    ).toHaveLength(1);
  });

  it('needs a valid bearer token', async () => {
    expect((await upsertOrders([connectOrder('O-1')])).status).toBe(204);
    expect((await post('/v1/orders', { origin, orders: [connectOrder('O-2')] }, null)).status).toBe(401);
    expect((await post('/v1/orders', { origin, orders: [connectOrder('O-2')] }, 'sim-forged')).status).toBe(401);
    expect(held().map(([id]) => id)).toEqual(['O-1']);
  });

  it('refuses the whole call when one order breaks the spec, naming it by index', async () => {
    const orders = [connectOrder('O-1'), connectOrder('O-2'), { ...connectOrder('O-3'), status: 'SENT' }];
    const response = await upsertOrders(orders);
    expect(response.status).toBe(400);
    const refusal: unknown = await response.json();
    expect(connectSpec.validate('Error', refusal)).toEqual([]);
    expect(refusal).toEqual({
      code: 'INVALID_INPUT',
      message: 'Invalid upsert orders request',
      errors: [{ message: 'must be equal to one of the allowed values', field: 'orders[2].status' }],
    });
    expect(held()).toEqual([]);
    expect((await upsertOrders(Array.from({ length: 101 }, (_, index) => connectOrder(`O-${index}`)))).status).toBe(
      400,
    );
  });

  it('leaves the index out of errors[].field when told to, so the connector has to bisect', async () => {
    connect.configureOrders({ orderIndexInErrors: false });
    const response = await upsertOrders([connectOrder('O-1'), { ...connectOrder('O-2'), status: 'SENT' }]);
    expect(await response.json()).toMatchObject({ errors: [{ field: 'orders.status' }] });
  });

  it('refuses a poison order that passes the spec, and the whole call with it', async () => {
    connect.configureOrders({ rejectedOrderIds: ['O-2'] });
    const response = await upsertOrders([connectOrder('O-1'), connectOrder('O-2')]);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ field: 'orders[1].channel_order_id' }] });
    expect(held()).toEqual([]);
    expect((await upsertOrders([connectOrder('O-1')])).status).toBe(204);
    expect(held()).toEqual([['O-1', '2026-11-02T10:00:00Z', 1, 0]]);
  });

  it('ignores an older channel_updated_at silently and applies an equal or newer one', async () => {
    await upsertOrders([connectOrder('O-1', '2026-11-02T10:00:00Z', 'AWAITING_ACCEPTANCE')]);
    expect((await upsertOrders([connectOrder('O-1', '2026-11-02T09:59:59Z', 'CLOSED')])).status).toBe(204);
    expect(connect.heldOrders()[0]?.body.status).toBe('AWAITING_ACCEPTANCE');
    await upsertOrders([connectOrder('O-1', '2026-11-02T10:00:00Z', 'AWAITING_SHIPMENT')]);
    expect(connect.heldOrders()[0]?.body.status).toBe('AWAITING_SHIPMENT');
    await upsertOrders([connectOrder('O-1', '2026-11-02T11:00:00.000+01:00', 'SHIPPED')]);
    expect(connect.heldOrders()[0]?.body.status).toBe('SHIPPED');
    expect(held()).toEqual([['O-1', '2026-11-02T11:00:00.000+01:00', 3, 1]]);
  });

  it('answers 404 for a channel or a store it does not know, applying nothing', async () => {
    const unknownStore = await upsertOrders([connectOrder('O-1')], { ...origin, channel_store_id: '9999' });
    expect(unknownStore.status).toBe(404);
    expect(await unknownStore.json()).toMatchObject({
      code: 'DATA_NOT_FOUND',
      errors: [{ field: 'origin.channel_store_id' }],
    });
    expect((await upsertOrders([connectOrder('O-1')], { ...origin, channel_id: '0025' })).status).toBe(404);
    expect(held()).toEqual([]);
  });

  it('knows the stores it is configured with', async () => {
    const other = await startConnectSimulator({ channel: { channelId: 'CH', storeIds: ['S1', 'S2'] } });
    try {
      const accessToken = await connectToken(other.authUrl);
      const send = (store: string) =>
        fetch(`${other.apiUrl}/v1/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
          body: JSON.stringify({
            origin: { channel_id: 'CH', channel_store_id: store },
            orders: [connectOrder('O-1')],
          }),
        });
      expect([(await send('S2')).status, (await send('2005')).status]).toEqual([204, 404]);
      expect(other.heldOrders().map((order) => order.channel_store_id)).toEqual(['S2']);
    } finally {
      await other.close();
    }
  });

  it('answers faults injected on the upsert routes', async () => {
    connect.injectFault({ route: 'upsertOrders', status: 429, retryAfterSeconds: 3, times: 1 });
    connect.injectFault({ route: 'upsertOrders', status: 503, times: 1 });
    const limited = await upsertOrders([connectOrder('O-1')]);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await upsertOrders([connectOrder('O-1')])).status).toBe(503);
    expect(held()).toEqual([]);
    expect((await upsertOrders([connectOrder('O-1')])).status).toBe(204);
    expect(connect.callCounts()).toMatchObject({ token: 1, upsertOrders: 3, upsertReturns: 0 });
  });

  it('takes returns with partial success: a return of an order or line it does not hold is an error', async () => {
    await upsertOrders([connectOrder('O-1')]);
    const response = await upsertReturns([
      connectReturn('O-1', 'R-1'),
      connectReturn('O-9', 'R-2'),
      connectReturn('O-1', 'R-3', ['O-1-1', 'O-1-7']),
    ]);
    expect(response.status).toBe(200);
    const answer: unknown = await response.json();
    expect(connectSpec.validate('UpsertReturnsResponse', answer)).toEqual([]);
    expect(answer).toEqual({
      return_success: [{ channel_order_id: 'O-1', channel_return_id: 'R-1' }],
      return_errors: [
        {
          channel_order_id: 'O-9',
          channel_return_id: 'R-2',
          details: [{ code: 'DATA_NOT_FOUND', message: 'Order O-9 not found', field: 'channel_order_id' }],
        },
        {
          channel_order_id: 'O-1',
          channel_return_id: 'R-3',
          details: [
            {
              code: 'DATA_NOT_FOUND',
              message: 'Order line O-1-7 not found',
              field: 'return_lines[1].channel_order_line_id',
            },
          ],
        },
      ],
    });
    expect(connect.heldReturns().map((held) => held.body.channel_return_id)).toEqual(['R-1']);
    const unknownStore = await post('/v1/orders/returns', {
      origin: { ...origin, channel_store_id: '9999' },
      returns: [connectReturn('O-1', 'R-4')],
    });
    expect(unknownStore.status).toBe(404);
  });

  it('takes one upsertReturns a minute per store, answering 429 with Retry-After in between', async () => {
    await upsertOrders([connectOrder('O-1')]);
    expect((await upsertReturns([connectReturn('O-1', 'R-1')])).status).toBe(200);
    const tooSoon = await upsertReturns([connectReturn('O-1', 'R-2')]);
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(55);
    expect(connect.heldReturns()).toHaveLength(1);
    connect.configureOrders({ returnsIntervalMs: 0 });
    expect((await upsertReturns([connectReturn('O-1', 'R-2')])).status).toBe(200);
  });

  it('refuses an invalid returns body whole, and applies anti-replay to returns', async () => {
    connect.configureOrders({ returnsIntervalMs: 0 });
    await upsertOrders([connectOrder('O-1')]);
    const invalid = await upsertReturns([{ ...connectReturn('O-1', 'R-1'), return_lines: [] }]);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      code: 'INVALID_INPUT',
      errors: [{ field: 'returns[0].return_lines' }],
    });
    await upsertReturns([{ ...connectReturn('O-1', 'R-1'), status: 'OPENED' }]);
    await upsertReturns([{ ...connectReturn('O-1', 'R-1', ['O-1-1'], '2026-11-01T00:00:00Z'), status: 'CLOSED' }]);
    expect(connect.heldReturns()).toMatchObject([{ body: { status: 'OPENED' }, applied: 1, ignoredAsStale: 1 }]);
  });

  it('shows what it holds over HTTP, and takes its order rules there', async () => {
    const rules = await fetch(`${connect.url}/_sim/order-rules`, {
      method: 'POST',
      body: JSON.stringify({ rejectedOrderIds: ['O-2'], returnsIntervalMs: 0 }),
    });
    expect(rules.status).toBe(204);
    expect((await upsertOrders([connectOrder('O-2')])).status).toBe(400);
    await upsertOrders([connectOrder('O-1')]);
    await upsertReturns([connectReturn('O-1', 'R-1')]);
    const orders = (await (await fetch(`${connect.url}/_sim/orders`)).json()) as unknown[];
    expect(orders).toMatchObject([
      {
        channel_id: '0024',
        channel_store_id: '2005',
        channel_order_id: 'O-1',
        applied: 1,
        order: { status: 'AWAITING_ACCEPTANCE' },
      },
    ]);
    expect(await (await fetch(`${connect.url}/_sim/returns`)).json()).toMatchObject([
      { body: { channel_return_id: 'R-1' } },
    ]);
    expect(await (await fetch(`${connect.url}/_sim/calls`)).json()).toMatchObject({
      upsertOrders: 2,
      upsertReturns: 1,
    });
    expect(
      (
        await fetch(`${connect.url}/_sim/order-rules`, {
          method: 'POST',
          body: JSON.stringify({ returnsIntervalMs: -1 }),
        })
      ).status,
    ).toBe(400);
  });

  it('makes an upserted order known to anonymize-after', async () => {
    await upsertOrders([connectOrder('O-1')]);
    expect(connect.knownOrders()).toEqual([{ channel_id: '0024', channel_order_id: 'O-1', updates: 0 }]);
  });
});

describe('Connect simulator: the seller acts on an imported order', () => {
  let queue: LocalQueue;
  let connect: ConnectSimulator;
  const validEvent = createOrderActionEventValidator();
  beforeAll(async () => {
    queue = await startLocalQueue('seller-events');
    connect = await startConnectSimulator({ sqs: { client: queue.sqs, queueUrl: queue.queueUrl } });
  });
  afterAll(async () => {
    await connect.close();
    await queue.stop();
  });

  const upsert = async (order: unknown) => {
    const token = await connectToken(connect.authUrl);
    const upserted = await fetch(`${connect.apiUrl}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ origin, orders: [order] }),
    });
    expect(upserted.status).toBe(204);
  };
  const received = async () => {
    const answer = await queue.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }),
    );
    return (answer.Messages ?? []).map(
      (message) => JSON.parse(message.Body ?? '') as { type: string; data: Record<string, unknown> },
    );
  };

  it('accepts every line, or ships the whole order, publishing an action the webhooks spec accepts', async () => {
    await upsert(connectOrder('S-1'));
    await upsert(connectOrder('S-2', '2026-11-02T10:00:00Z', 'AWAITING_SHIPMENT'));
    await connect.sellerAct({ channel_order_id: 'S-1', type: 'ACCEPT' });
    const published = await fetch(`${connect.url}/_sim/seller-actions`, {
      method: 'POST',
      body: JSON.stringify({ channel_order_id: 'S-2', type: 'CREATE_SHIPMENT', tracking_number: 'T-9' }),
    });
    expect(published.status).toBe(201);
    const events = await received();
    expect(events.map(validEvent)).toEqual([[], []]);
    expect(events).toMatchObject([
      {
        type: 'ACCEPT',
        data: {
          channel_id: '0024',
          channel_store_id: '2005',
          channel_order_id: 'S-1',
          order_lines: [
            { channel_order_line_id: 'S-1-1', accepted: true },
            { channel_order_line_id: 'S-1-2', accepted: true },
          ],
        },
      },
      { type: 'CREATE_SHIPMENT', data: { channel_order_id: 'S-2', carrier: 'UPS', tracking_number: 'T-9' } },
    ]);
    expect(connect.actions().map((action) => action.status)).toEqual(['PENDING', 'PENDING']);
  });

  it('refuses what the seller could not do in Connect', async () => {
    await upsert(connectOrder('S-3', '2026-11-02T10:00:00Z', 'SHIPPED'));
    await expect(connect.sellerAct({ channel_order_id: 'S-3', type: 'ACCEPT' })).rejects.toThrow(
      'Order S-3 is SHIPPED in Connect: ACCEPT needs AWAITING_ACCEPTANCE',
    );
    await expect(connect.sellerAct({ channel_order_id: 'S-404', type: 'CREATE_SHIPMENT' })).rejects.toThrow(
      'Connect holds no order S-404',
    );
    const refused = await fetch(`${connect.url}/_sim/seller-actions`, {
      method: 'POST',
      body: JSON.stringify({ channel_order_id: 'S-3', type: 'CREATE_SHIPMENT' }),
    });
    expect(refused.status).toBe(409);
    expect(await received()).toEqual([]);
  });
});
