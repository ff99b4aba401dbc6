import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConnectSimulator, type ConnectSimulator } from '../../../local/simulators/connect.js';
import { MMP_CARRIERS, SAMPLE_CUSTOMER, startMmpSimulator, type MmpSimulator } from '../../../local/simulators/mmp.js';
import { createSpecValidator } from '../../../local/simulators/spec-validator.js';
import { startLocalQueue, type LocalQueue } from '../../support/local-queue.js';

const specFile = (name: string) => fileURLToPath(new URL(`../../../contracts/${name}`, import.meta.url));

const failedReport = {
  status: 'FAILED',
  errors: [{ code: 'ORDER_IN_WRONG_STATE', message: 'MMP OR24 refused: order MKP-1-A is SHIPPED, expected SHIPPING' }],
};

describe('spec validator', () => {
  const connectSpec = createSpecValidator(specFile('mirakl-connect-channel-openapi.json'));

  it('accepts a right UpdateActionRequest', () => {
    expect(connectSpec.validate('UpdateActionRequest', { status: 'SUCCESS' })).toEqual([]);
    expect(connectSpec.validate('UpdateActionRequest', failedReport)).toEqual([]);
  });

  it('rejects enums that Mirakl keeps only in prose, with short messages', () => {
    expect(connectSpec.validate('UpdateActionRequest', { status: 'FAILURE' })).toEqual([
      '/status must be equal to one of the allowed values',
    ]);
    expect(
      connectSpec.validate('UpdateActionRequest', {
        status: 'FAILED',
        errors: [{ code: 'ORDER_SHIPPED', message: 'x' }],
      }),
    ).toEqual(['/errors/0/code must be equal to one of the allowed values']);
    expect(connectSpec.validate('UpdateActionRequest', {})).toEqual(["/status must have required property 'status'"]);
  });

  it('loads YAML and allows the deprecated values listed in a <details> block', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spec-')), 'spec.yaml');
    const description = 'State\n\nEnum: `"NEW"`, `"DONE"`\n\n<details>\n  Deprecated values: `"OLD"`\n</details>\n';
    writeFileSync(
      file,
      JSON.stringify({ openapi: '3.1.0', components: { schemas: { State: { type: 'string', description } } } }),
    );
    const spec = createSpecValidator(file);
    expect(['NEW', 'DONE', 'OLD'].map((state) => spec.validate('State', state))).toEqual([[], [], []]);
    expect(spec.validate('State', 'GONE')).toHaveLength(1);
  });
});

describe('Connect simulator', () => {
  let connect: ConnectSimulator;
  beforeAll(async () => {
    connect = await startConnectSimulator();
  });
  afterAll(() => connect.close());
  beforeEach(() => connect.reset());

  const requestToken = (clientSecret = 'local-secret', url = connect.authUrl) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'local-client',
        client_secret: clientSecret,
      }),
    });
  const accessToken = async (url?: string) =>
    ((await (await requestToken(undefined, url)).json()) as { access_token: string }).access_token;
  const report = (actionId: string, body: unknown, token: string | undefined, apiUrl = connect.apiUrl) =>
    fetch(`${apiUrl}/v1/orders/actions/${actionId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });

  it('issues a bearer token for the right client credentials only', async () => {
    const granted = await requestToken();
    expect(granted.status).toBe(200);
    expect(await granted.json()).toEqual({
      token_type: 'Bearer',
      access_token: expect.any(String),
      expires_in: 3599,
      target_app: '',
      resource_owner: '',
    });
    const refused = await requestToken('wrong-secret');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(connect.tokensIssued).toBe(1);
    expect(connect.requests().map((request) => request.body)).toEqual([
      { grant_type: 'client_credentials', client_id: 'local-client' },
      { grant_type: 'client_credentials', client_id: 'local-client' },
    ]);
  });

  it('refuses a missing or expired token', async () => {
    const shortLived = await startConnectSimulator({ tokenTtlSeconds: 1 });
    try {
      shortLived.registerAction('a-1');
      const token = await accessToken(shortLived.authUrl);
      expect((await report('a-1', { status: 'SUCCESS' }, undefined, shortLived.apiUrl)).status).toBe(401);
      await sleep(1100);
      expect((await report('a-1', { status: 'SUCCESS' }, token, shortLived.apiUrl)).status).toBe(401);
      expect(shortLived.actions()).toEqual([{ actionId: 'a-1', status: 'PENDING', reports: 0 }]);
    } finally {
      await shortLived.close();
    }
  });

  it('takes one final report per action, then answers ACTION_ALREADY_FINAL', async () => {
    connect.registerAction('a-1');
    const token = await accessToken();
    expect((await report('a-1', failedReport, token)).status).toBe(204);
    const again = await report('a-1', { status: 'SUCCESS' }, token);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 'ACTION_ALREADY_FINAL' });
    expect(connect.actions()).toEqual([{ actionId: 'a-1', status: 'FAILED', errors: failedReport.errors, reports: 2 }]);
    expect(connect.requests().filter((request) => request.path.includes('/actions/'))).toMatchObject([
      { method: 'PUT', status: 204, body: failedReport, schemaErrors: [] },
      { method: 'PUT', status: 400, body: { status: 'SUCCESS' }, schemaErrors: [] },
    ]);
  });

  it('answers 404 DATA_NOT_FOUND for an unknown action', async () => {
    const response = await report('no-such-action', { status: 'SUCCESS' }, await accessToken());
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'DATA_NOT_FOUND' });
  });

  it.each([
    ['status FAILURE', { status: 'FAILURE' }, 'status'],
    ['FAILED without errors', { status: 'FAILED' }, 'errors'],
    ['an unknown error code', { status: 'FAILED', errors: [{ code: 'BROKEN', message: 'x' }] }, 'errors[0].code'],
  ])('refuses %s with 400 INVALID_INPUT and records why', async (_case, body, field) => {
    connect.registerAction('a-1');
    const response = await report('a-1', body, await accessToken());
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'INVALID_INPUT',
      errors: [{ field, message: expect.any(String) }],
    });
    expect(connect.actions()).toMatchObject([{ status: 'PENDING' }]);
    expect(connect.requests().at(-1)?.schemaErrors).toHaveLength(1);
  });

  it('injects faults: 503 twice then OK, and 429 with Retry-After', async () => {
    connect.registerAction('a-1');
    const token = await accessToken();
    connect.injectFault({ route: 'actionStatus', status: 503, times: 2 });
    connect.injectFault({ route: 'token', status: 429, times: 1, retryAfterSeconds: 7 });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1)
      statuses.push((await report('a-1', { status: 'SUCCESS' }, token)).status);
    expect(statuses).toEqual([503, 503, 204]);
    const throttled = await requestToken();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect((await requestToken()).status).toBe(200);
  });

  it('can apply a report and lose its response', async () => {
    connect.registerAction('a-1');
    const token = await accessToken();
    connect.injectFault({ route: 'actionStatus', times: 1, dropConnectionAfterApplying: true });
    await expect(report('a-1', { status: 'SUCCESS' }, token)).rejects.toThrow();
    expect(connect.actions()).toMatchObject([{ status: 'SUCCESS', reports: 1 }]);
    expect(connect.requests().at(-1)).toMatchObject({ status: 204, dropped: true });
  });

  it('serves the inspection API', async () => {
    const post = (path: string, body?: unknown) =>
      fetch(`${connect.url}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    expect((await post('/_sim/actions', { action_id: 'a-2' })).status).toBe(204);
    expect((await post('/_sim/faults', { route: 'actionStatus', status: 500, times: 1 })).status).toBe(204);
    expect((await post('/_sim/faults', { route: 'nowhere', status: 500, times: 1 })).status).toBe(400);
    expect((await report('a-2', { status: 'SUCCESS' }, await accessToken())).status).toBe(500);
    expect(await (await fetch(`${connect.url}/_sim/actions`)).json()).toEqual([
      { actionId: 'a-2', status: 'PENDING', reports: 0 },
    ]);
    expect(await (await fetch(`${connect.url}/_sim/requests`)).json()).toHaveLength(2);
    expect((await post('/_sim/reset')).status).toBe(204);
    expect(connect.actions()).toEqual([]);
  });

  it('refuses to publish without a queue', async () => {
    await expect(connect.publish({ id: '01J', type: 'ACCEPT', time: '2026-07-07T10:32:00Z' })).rejects.toThrow(/sqs/);
  });
});

describe('Connect simulator publishing to SQS', () => {
  let queue: LocalQueue;
  let connect: ConnectSimulator;
  beforeAll(async () => {
    queue = await startLocalQueue('connect-events');
    connect = await startConnectSimulator({ sqs: { client: queue.sqs, queueUrl: queue.queueUrl } });
  });
  afterAll(async () => {
    await connect.close();
    await queue.stop();
  });

  it('sends the bare envelope once per copy and registers the action', async () => {
    const event = {
      id: '01JZ8K3Q6V2M4N7P9R1S3T5W7Y',
      type: 'ACCEPT',
      time: '2026-07-07T10:32:00.123Z',
      data: {
        action_id: 'a-9',
        channel_id: '0024',
        channel_store_id: '2005',
        channel_order_id: 'MKP-1-A',
        order_lines: [],
      },
    };
    await connect.publish(event, { duplicates: 1 });
    const received = await queue.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    expect(received.Messages?.map((message) => JSON.parse(message.Body ?? '') as unknown)).toEqual([event, event]);
    expect(received.Messages?.every((message) => message.MessageAttributes === undefined)).toBe(true);
    expect(connect.actions()).toEqual([{ actionId: 'a-9', status: 'PENDING', reports: 0 }]);
  });

  it('publishes over HTTP too, for runs by hand', async () => {
    const event = {
      id: '01JZ8K4B2C3D4E5F6G7H8J9K0M',
      type: 'CLOSE_RETURN',
      time: '2026-07-30T10:00:00Z',
      data: { action_id: 'a-10' },
    };
    const published = await fetch(`${connect.url}/_sim/events`, { method: 'POST', body: JSON.stringify(event) });
    expect(published.status).toBe(204);
    const received = await queue.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(received.Messages?.map((message) => JSON.parse(message.Body ?? '') as unknown)).toEqual([event]);
    expect(connect.actions()).toMatchObject([{ actionId: 'a-9' }, { actionId: 'a-10', status: 'PENDING' }]);
  });
});

describe('MMP simulator', () => {
  const mmpSpec = createSpecValidator(specFile('mirakl-mmp-seller-openapi.json'));
  let mmp: MmpSimulator;
  beforeAll(async () => {
    mmp = await startMmpSimulator();
  });
  afterAll(() => mmp.close());
  beforeEach(() => mmp.reset());

  const call = (method: string, path: string, body?: unknown, apiKey: string | null = 'local-mmp-key', url = mmp.url) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        ...(apiKey !== null && { authorization: apiKey }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  const addShippingOrder = (orderState: 'SHIPPING' | 'CANCELED' | 'WAITING_ACCEPTANCE' = 'SHIPPING') =>
    mmp.addOrder({
      order_id: 'MKP-1-A',
      order_state: orderState,
      order_lines: [
        { order_line_id: 'MKP-1-A-1', offer_sku: 'SKU-1', quantity: 2 },
        { order_line_id: 'MKP-1-A-2', offer_sku: 'SKU-2', quantity: 1 },
      ],
    });

  it('wants the raw API key in Authorization', async () => {
    addShippingOrder();
    expect((await call('GET', '/api/orders?order_ids=MKP-1-A', undefined, null)).status).toBe(401);
    expect((await call('GET', '/api/orders?order_ids=MKP-1-A', undefined, 'Bearer local-mmp-key')).status).toBe(401);
    expect((await call('GET', '/api/orders?order_ids=MKP-1-A')).status).toBe(200);
  });

  it('OR11 returns known orders as the spec describes them, personal data included', async () => {
    addShippingOrder();
    const response = await call('GET', '/api/orders?order_ids=MKP-1-A,UNKNOWN');
    const body = (await response.json()) as { orders: Array<{ order_id: string }>; total_count: number };
    expect(body.orders.map((order) => order.order_id)).toEqual(['MKP-1-A']);
    expect(body.total_count).toBe(1);
    expect(mmpSpec.validate('OR11_Response_200', body)).toEqual([]);
    expect(JSON.stringify(body)).toContain(SAMPLE_CUSTOMER.phone);
  });

  it('keeps each shop to its own orders', async () => {
    const shops = [
      { shopId: '2005', apiKey: 'key-a' },
      { shopId: '2006', apiKey: 'key-a' },
    ];
    const multiShop = await startMmpSimulator({ shops });
    try {
      multiShop.addOrder({
        order_id: 'O-1',
        shopId: '2006',
        order_lines: [{ order_line_id: 'O-1-1', offer_sku: 'S', quantity: 1 }],
      });
      const ship = (shopId: string) =>
        call('PUT', `/api/orders/O-1/ship?shop_id=${shopId}`, undefined, 'key-a', multiShop.url);
      expect((await ship('2005')).status).toBe(404);
      expect((await ship('9999')).status).toBe(401);
      expect((await ship('2006')).status).toBe(400);
    } finally {
      await multiShop.close();
    }
  });

  it('OR21 needs a decision for every line, then moves accepted lines to SHIPPING', async () => {
    addShippingOrder('WAITING_ACCEPTANCE');
    const partial = await call('PUT', '/api/orders/MKP-1-A/accept', {
      order_lines: [{ id: 'MKP-1-A-1', accepted: true }],
    });
    expect(partial.status).toBe(400);
    expect(await partial.json()).toMatchObject({ status: 400, code: 'ORDER_LINE_ACCEPTANCE_DECISION_MISSING' });
    const decisions = [
      { id: 'MKP-1-A-1', accepted: true },
      { id: 'MKP-1-A-2', accepted: false },
    ];
    expect((await call('PUT', '/api/orders/MKP-1-A/accept', { order_lines: decisions })).status).toBe(204);
    expect(mmp.order('MKP-1-A')).toMatchObject({
      order_state: 'SHIPPING',
      order_lines: [{ order_line_state: 'SHIPPING' }, { order_line_state: 'REFUSED' }],
    });
    const again = await call('PUT', '/api/orders/MKP-1-A/accept', { order_lines: decisions });
    expect(await again.json()).toMatchObject({ code: 'ORDER_INVALID_STATE' });
  });

  it('OR23 then OR24 moves the order from SHIPPING to SHIPPED', async () => {
    addShippingOrder();
    expect(
      (await call('PUT', '/api/orders/MKP-1-A/tracking', { carrier_code: 'DHL', tracking_number: 'JJD0001' })).status,
    ).toBe(204);
    expect((await call('PUT', '/api/orders/MKP-1-A/ship')).status).toBe(204);
    expect(mmp.order('MKP-1-A')).toMatchObject({
      order_state: 'SHIPPED',
      shipping_carrier_code: 'DHL',
      shipping_company: 'DHL Express',
      shipping_tracking: 'JJD0001',
      shipping_tracking_url: 'https://www.dhl.com/fr-fr/home/tracking.html?tracking-id=JJD0001',
      order_lines: [{ order_line_state: 'SHIPPED' }, { order_line_state: 'SHIPPED' }],
    });
    expect(mmp.requests().map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
      'PUT /api/orders/MKP-1-A/tracking 204',
      'PUT /api/orders/MKP-1-A/ship 204',
    ]);
  });

  it('OR23 takes a registered carrier_code or an unregistered carrier_name', async () => {
    addShippingOrder();
    expect(
      (await call('PUT', '/api/orders/MKP-1-A/tracking', { carrier_code: 'NOPE', tracking_number: '1' })).status,
    ).toBe(400);
    expect((await call('PUT', '/api/orders/MKP-1-A/tracking', { carrier_code: 7 })).status).toBe(400);
    const unregistered = {
      carrier_name: 'Transports Martin',
      carrier_url: 'https://suivi.example/TM1',
      tracking_number: 'TM1',
    };
    expect((await call('PUT', '/api/orders/MKP-1-A/tracking', unregistered)).status).toBe(204);
    expect(mmp.order('MKP-1-A')).toMatchObject({
      shipping_company: 'Transports Martin',
      shipping_tracking_url: 'https://suivi.example/TM1',
    });
  });

  it('OR24 refuses a CANCELED order and answers 404 for an unknown one', async () => {
    addShippingOrder('CANCELED');
    const refused = await call('PUT', '/api/orders/MKP-1-A/ship');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ status: 400, message: expect.stringContaining('CANCELED') });
    expect((await call('PUT', '/api/orders/UNKNOWN/ship')).status).toBe(404);
  });

  it('SH21 lists the registered carriers', async () => {
    const body = await (await call('GET', '/api/shipping/carriers')).json();
    expect(body).toEqual({ carriers: MMP_CARRIERS });
    expect(mmpSpec.validate('SH21_Response_200', body)).toEqual([]);
  });

  it("RE01 lists the operator's reasons as the spec says, in English or, for a French operator, in French", async () => {
    const english = (await (await call('GET', '/api/reasons')).json()) as { reasons: unknown[] };
    expect(mmpSpec.validate('RE01_Response_200', english)).toEqual([]);
    expect(english.reasons).toContainEqual({
      code: '34',
      label: 'Cancelled by the client prior to shipping',
      type: 'CANCELATION',
      is_shop_right: true,
    });

    mmp.configure({ operatorLanguage: 'fr' });
    const french = (await (await call('GET', '/api/reasons')).json()) as { reasons: unknown[] };
    expect(mmpSpec.validate('RE01_Response_200', french)).toEqual([]);
    expect(french.reasons).toContainEqual({
      code: '34',
      label: 'Annulée par le client avant expédition',
      type: 'CANCELATION',
      is_shop_right: true,
    });
    expect(
      mmpSpec.validate('RE01_Response_200', {
        reasons: [{ code: '34', label: 'x', type: 'CANCELATION' }],
        total_count: 1,
      }),
    ).toHaveLength(1);
    mmp.reset();
  });

  it('injects faults: 503 twice then OK, 429 with Retry-After, and a lost response', async () => {
    addShippingOrder();
    mmp.injectFault({ route: 'OR24', status: 503, times: 2 });
    mmp.injectFault({ route: 'SH21', status: 429, times: 1, retryAfterSeconds: 3 });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1)
      statuses.push((await call('PUT', '/api/orders/MKP-1-A/ship')).status);
    expect(statuses).toEqual([503, 503, 204]);
    const throttled = await call('GET', '/api/shipping/carriers');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');

    mmp.injectFault({ route: 'OR23', times: 1, dropConnectionAfterApplying: true });
    await expect(
      call('PUT', '/api/orders/MKP-1-A/tracking', { carrier_code: 'UPS', tracking_number: '1Z9' }),
    ).rejects.toThrow();
    expect(mmp.order('MKP-1-A')).toMatchObject({ shipping_tracking: '1Z9' });
  });

  it('serves the inspection API', async () => {
    const order = { order_id: 'O-9', order_lines: [{ order_line_id: 'O-9-1', offer_sku: 'S', quantity: 1 }] };
    const created = await fetch(`${mmp.url}/_sim/orders`, { method: 'POST', body: JSON.stringify(order) });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ order_id: 'O-9', order_state: 'WAITING_ACCEPTANCE' });
    expect(await (await fetch(`${mmp.url}/_sim/orders`)).json()).toMatchObject([{ order: { order_id: 'O-9' } }]);
    const fault = { route: 'OR11', status: 500, times: 1 };
    expect((await fetch(`${mmp.url}/_sim/faults`, { method: 'POST', body: JSON.stringify(fault) })).status).toBe(204);
    expect((await call('GET', '/api/orders?order_ids=O-9')).status).toBe(500);
    expect(await (await fetch(`${mmp.url}/_sim/requests`)).json()).toHaveLength(1);
    expect((await fetch(`${mmp.url}/_sim/reset`, { method: 'POST' })).status).toBe(204);
    expect(mmp.order('O-9')).toBeUndefined();
  });
});
