import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConnectSimulator, type ConnectSimulator } from '../../../local/simulators/connect.js';
import { createSpecValidator } from '../../../local/simulators/spec-validator.js';
import { daysFromNow } from '../../support/anonymization-stack.js';
import { connectToken } from '../../support/connect-token.js';

const connectSpec = createSpecValidator(
  fileURLToPath(new URL('../../../contracts/mirakl-connect-channel-openapi.json', import.meta.url)),
);

describe('spec validator: UpdateAnonymizeAfterRequest', () => {
  it('rejects the vendor example as sent (numeric channel_id) and more than 100 orders', () => {
    const vendorExample = {
      orders: [
        {
          channel_order_id: 'COMMERCIAL_ID-A',
          channel_id: 1234,
          channel_store_id: 'string',
          anonymize_after: '2023-10-01T00:00:00Z',
        },
      ],
    };
    expect(connectSpec.validate('UpdateAnonymizeAfterRequest', vendorExample)).toEqual([
      '/orders/0/channel_id must be string',
    ]);
    const order = { channel_id: '0024', channel_order_id: 'MKP-1-A', anonymize_after: '2031-01-01T00:00:00Z' };
    expect(connectSpec.validate('UpdateAnonymizeAfterRequest', { orders: Array(101).fill(order) })).toEqual([
      '/orders must NOT have more than 100 items',
    ]);
    expect(connectSpec.validate('UpdateAnonymizeAfterRequest', { orders: [] })).toEqual([
      '/orders must NOT have fewer than 1 items',
    ]);
    expect(
      connectSpec.validate('UpdateAnonymizeAfterRequest', { orders: [{ ...order, anonymize_after: '2031-01-01' }] }),
    ).toEqual(['/orders/0/anonymize_after must match format "date-time"']);
  });
});

describe('Connect simulator: PUT /v1/orders/anonymize-after', () => {
  let connect: ConnectSimulator;
  let token: string;
  beforeAll(async () => {
    connect = await startConnectSimulator();
  });
  afterAll(() => connect.close());
  beforeEach(async () => {
    connect.reset();
    token = await connectToken(connect.authUrl);
    connect.registerOrder('0024', 'MKP-1-A');
    connect.registerOrder('0024', 'MKP-2-A');
  });

  const put = async (body: unknown, bearer: string | null = token) => {
    const response = await fetch(`${connect.apiUrl}/v1/orders/anonymize-after`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(bearer && { authorization: `Bearer ${bearer}` }) },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: response.status === 204 ? undefined : ((await response.json()) as unknown),
    };
  };
  const order = (channelOrderId: string, anonymizeAfter = daysFromNow(60)) => ({
    channel_id: '0024',
    channel_order_id: channelOrderId,
    anonymize_after: anonymizeAfter,
  });
  const dates = () => connect.knownOrders().map((known) => known.anonymize_after);

  it('sets the dates of known orders (a few minutes in the past are tolerated)', async () => {
    const later = daysFromNow(60);
    const justPast = new Date(Date.now() - 60_000).toISOString();
    expect(
      await put({ orders: [order('MKP-1-A', later), { ...order('MKP-2-A', justPast), sub_channel_code: 'FR' }] }),
    ).toEqual({ status: 204, body: undefined });
    expect(connect.knownOrders()).toEqual([
      { channel_id: '0024', channel_order_id: 'MKP-1-A', anonymize_after: later, updates: 1 },
      {
        channel_id: '0024',
        channel_order_id: 'MKP-2-A',
        anonymize_after: justPast,
        sub_channel_code: 'FR',
        updates: 1,
      },
    ]);
  });

  it('needs a bearer token', async () => {
    expect((await put({ orders: [order('MKP-1-A')] }, null)).status).toBe(401);
  });

  it('refuses the whole call for one unknown order or past date, naming each', async () => {
    const refused = await put({ orders: [order('MKP-1-A'), order('MKP-404'), order('MKP-2-A', daysFromNow(-1))] });
    expect(refused).toEqual({
      status: 400,
      body: {
        code: 'DATA_NOT_FOUND',
        message: expect.any(String),
        errors: [
          { field: 'orders[1].channel_order_id', message: expect.any(String) },
          { field: 'orders[2].anonymize_after', message: expect.any(String) },
        ],
      },
    });
    expect(dates()).toEqual([undefined, undefined]);
  });

  it('names only the first refused order, or none, when told to', async () => {
    const body = { orders: [order('MKP-404'), order('MKP-405')] };
    connect.setAnonymizeErrorDetail('first-order');
    expect(await put(body)).toMatchObject({ status: 400, body: { errors: [{ field: 'orders[0].channel_order_id' }] } });
    connect.setAnonymizeErrorDetail('no-field');
    const unnamed = await put(body);
    expect(unnamed).toMatchObject({ status: 400, body: { code: 'DATA_NOT_FOUND' } });
    expect(JSON.stringify(unnamed.body)).not.toContain('field');
  });

  it('refuses a body that breaks the spec, naming the field, and records why', async () => {
    const response = await put({ orders: [{ ...order('MKP-1-A'), channel_id: 24 }] });
    expect(response).toEqual({
      status: 400,
      body: {
        code: 'INVALID_INPUT',
        message: expect.any(String),
        errors: [{ field: 'orders[0].channel_id', message: 'must be string' }],
      },
    });
    expect(connect.requests().at(-1)?.schemaErrors).toEqual(['/orders/0/channel_id must be string']);
    expect(dates()).toEqual([undefined, undefined]);
  });

  it('takes faults and registered orders over HTTP too', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${connect.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('/_sim/orders', { channel_id: '0025', channel_order_id: 'X-1' })).status).toBe(204);
    expect((await post('/_sim/faults', { route: 'anonymizeAfter', status: 503, times: 1 })).status).toBe(204);
    expect((await put({ orders: [{ ...order('X-1'), channel_id: '0025' }] })).status).toBe(503);
    expect((await put({ orders: [{ ...order('X-1'), channel_id: '0025' }] })).status).toBe(204);
    expect(await (await fetch(`${connect.url}/_sim/orders`)).json()).toMatchObject([
      {},
      {},
      { channel_order_id: 'X-1', updates: 1 },
    ]);
  });
});
