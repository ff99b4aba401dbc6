import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMmpSimulator, type MmpOrder, type MmpSimulator } from '../../../local/simulators/mmp.js';
import { createSpecValidator } from '../../../local/simulators/spec-validator.js';

const mmpSpec = createSpecValidator(
  fileURLToPath(new URL('../../../contracts/mirakl-mmp-seller-openapi.json', import.meta.url)),
);

interface Or11Page {
  orders: MmpOrder[];
  total_count: number;
}
interface Rt11Page {
  data: Array<{ id: string; last_updated: string; documents: Array<{ id: number; type: string }> }>;
  next_page_token?: string;
}

describe('MMP simulator: what the import reads (OR11, RT11)', () => {
  let mmp: MmpSimulator;
  beforeAll(async () => {
    mmp = await startMmpSimulator({
      shops: [
        { shopId: '2005', apiKey: 'key' },
        { shopId: '2006', apiKey: 'key' },
      ],
    });
  });
  afterAll(() => mmp.close());
  beforeEach(() => mmp.reset());

  const get = async <T>(path: string, shopId = '2005'): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${mmp.url}${path}${path.includes('?') ? '&' : '?'}shop_id=${shopId}`, {
      headers: { authorization: 'key' },
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const put = (path: string, body?: unknown) =>
    fetch(`${mmp.url}${path}?shop_id=2005`, {
      method: 'PUT',
      headers: { authorization: 'key', ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  const or11 = (query: string) => get<Or11Page>(`/api/orders?${query}`);
  const ids = (page: Or11Page) => page.orders.map((order) => order.order_id);
  const place = (orderId: string, createdDate: string, extra: Partial<Parameters<MmpSimulator['addOrder']>[0]> = {}) =>
    mmp.addOrder({
      order_id: orderId,
      created_date: createdDate,
      shopId: '2005',
      order_lines: [
        { order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 2, price_unit: 10 },
        { order_line_id: `${orderId}-2`, offer_sku: 'SKU-2', quantity: 1, price_unit: 30, tax_rate: 5.5 },
      ],
      ...extra,
    });

  it('OR11 answers the full order shape the spec describes, in every state, addresses null before acceptance', async () => {
    place('O-WAIT', '2026-11-01T08:00:00Z');
    place('O-SHIP', '2026-11-01T09:00:00Z', { order_state: 'SHIPPED' });
    place('O-REF', '2026-11-01T10:00:00Z', { order_state: 'REFUSED', channel: null });
    const { body } = await or11('order_tax_mode=TAX_EXCLUDED');
    expect(mmpSpec.validate('OR11_Response_200', body)).toEqual([]);
    const [waiting, shipped, refused] = body.orders;
    expect([
      waiting?.customer.shipping_address,
      waiting?.customer.billing_address,
      waiting?.acceptance_decision_date,
    ]).toEqual([null, null, undefined]);
    expect(shipped?.customer.shipping_address).toMatchObject({ city: 'Paris', country_iso_code: 'FRA' });
    expect(refused?.customer.shipping_address).toBeNull();
    expect(refused?.channel).toBeUndefined();
    expect(shipped).toMatchObject({
      channel: { code: 'FR', label: 'France' },
      order_additional_fields: [{ code: 'customer-segment', type: 'STRING', value: 'retail' }],
      order_lines: [
        {
          price: 20,
          shipping_price: 4.9,
          taxes: [{ code: 'TVA-20', amount: 4, rate: 20 }],
          shipping_taxes: [{ amount: 0.98, rate: 20 }],
          shipped_date: expect.any(String),
        },
        { price: 30, taxes: [{ code: 'TVA-5.5', amount: 1.65, rate: 5.5 }] },
      ],
    });
  });

  it('the OR11 schema check refuses a wrong order', () => {
    const order = mmp.addOrder({
      order_id: 'O-1',
      order_lines: [{ order_line_id: 'O-1-1', offer_sku: 'S', quantity: 1 }],
    });
    expect(mmpSpec.validate('OR11_Response_200', { orders: [order], total_count: 1 })).toEqual([]);
    const { order_lines: _, ...withoutLines } = order;
    expect(mmpSpec.validate('OR11_Response_200', { orders: [withoutLines], total_count: 1 })).toEqual([
      "/orders/0/order_lines must have required property 'order_lines'",
    ]);
    expect(
      mmpSpec.validate('OR11_Response_200', {
        orders: [{ ...order, customer: { ...order.customer, shipping_address: 'Paris' } }],
        total_count: 1,
      }),
    ).not.toEqual([]);
  });

  it('OR11 amounts exclude taxes in TAX_EXCLUDED, include them in TAX_INCLUDED (the default)', async () => {
    place('O-1', '2026-11-01T08:00:00Z', { order_state: 'SHIPPING' });
    const excluded = (await or11('order_tax_mode=TAX_EXCLUDED')).body.orders[0];
    const included = (await or11('')).body.orders[0];
    expect(excluded).toMatchObject({
      order_tax_mode: 'TAX_EXCLUDED',
      price: 50,
      shipping_price: 9.8,
      total_price: 59.8,
      order_lines: [{ price_unit: 10, price: 20 }, { price: 30 }],
    });
    expect(included).toMatchObject({
      order_tax_mode: 'TAX_INCLUDED',
      price: 55.65,
      shipping_price: 11.05,
      total_price: 66.7,
      order_lines: [{ price_unit: 12, price: 24 }, { price: 31.65 }],
    });
    expect((await or11('order_tax_mode=GROSS')).status).toBe(400);
  });

  it('OR11 filters on creation and last-update dates (start included, end excluded), ids and states', async () => {
    place('O-1', '2026-11-01T08:00:00Z', { last_updated_date: '2026-11-05T08:00:00Z' });
    place('O-2', '2026-11-02T08:00:00Z', { order_state: 'SHIPPING', last_updated_date: '2026-11-03T08:00:00Z' });
    place('O-3', '2026-11-03T08:00:00Z', { order_state: 'CLOSED' });
    expect(ids((await or11('start_date=2026-11-02T08:00:00Z&end_date=2026-11-03T08:00:00Z')).body)).toEqual(['O-2']);
    expect(
      ids((await or11('start_update_date=2026-11-03T08:00:00Z&end_update_date=2026-11-05T08:00:00Z')).body),
    ).toEqual(['O-2', 'O-3']);
    expect(ids((await or11('start_update_date=2026-11-04T00:00:00Z')).body)).toEqual(['O-1']);
    expect(ids((await or11('order_state_codes=SHIPPING,CLOSED')).body)).toEqual(['O-2', 'O-3']);
    expect(ids((await or11('order_ids=O-3,O-1,O-9')).body)).toEqual(['O-1', 'O-3']);
    expect((await or11('start_update_date=yesterday')).status).toBe(400);
  });

  it('OR11 takes at most 100 ids and pages of at most 100, sorted by creation date then id, with total_count', async () => {
    const tooMany = await or11(`order_ids=${Array.from({ length: 101 }, (_, index) => `O-${index}`).join(',')}`);
    expect(tooMany).toEqual({
      status: 400,
      body: { status: 400, message: 'The limit of 100 is exceeded for the parameter: order_ids' },
    });
    expect((await or11('max=101')).status).toBe(400);
    for (const [index, id] of ['O-5', 'O-4', 'O-3', 'O-2', 'O-1'].entries())
      place(id, `2026-11-0${5 - index}T08:00:00Z`);
    place('O-0', '2026-11-01T08:00:00Z');
    expect(await or11('max=4&offset=0').then(({ body }) => [ids(body), body.total_count])).toEqual([
      ['O-0', 'O-1', 'O-2', 'O-3'],
      6,
    ]);
    expect(await or11('max=4&offset=4').then(({ body }) => [ids(body), body.total_count])).toEqual([['O-4', 'O-5'], 6]);
    expect(ids((await or11('paginate=false&max=2')).body)).toHaveLength(6);
    expect(ids((await or11('')).body)).toHaveLength(6);
  });

  it('keeps each shop to its own orders on OR11', async () => {
    place('O-1', '2026-11-01T08:00:00Z');
    mmp.addOrder({
      order_id: 'O-2',
      shopId: '2006',
      order_lines: [{ order_line_id: 'O-2-1', offer_sku: 'S', quantity: 1 }],
    });
    expect(ids((await or11('')).body)).toEqual(['O-1']);
    expect(ids((await get<Or11Page>('/api/orders?order_ids=O-1,O-2', '2006')).body)).toEqual(['O-2']);
  });

  it('moves last_updated_date strictly forward on every change: acceptance, tracking, shipment, cancelation, refund, document', async () => {
    place('O-1', '2026-11-01T08:00:00Z', {
      order_lines: [{ order_line_id: 'O-1-1', offer_sku: 'S', quantity: 3, price_unit: 10 }],
    });
    const stamps = [mmp.order('O-1')?.last_updated_date];
    const changed = async (change: () => Promise<Response> | unknown) => {
      const response = await change();
      if (response instanceof Response) expect(response.status).toBeLessThan(300);
      stamps.push(mmp.order('O-1')?.last_updated_date);
    };
    await changed(() => put('/api/orders/O-1/accept', { order_lines: [{ id: 'O-1-1', accepted: true }] }));
    await changed(() => put('/api/orders/O-1/tracking', { carrier_code: 'UPS', tracking_number: '1Z' }));
    const cancelation = {
      order_line_id: 'O-1-1',
      quantity: 1,
      amount: 10,
      shipping_amount: 0,
      reason_code: '34',
      currency_iso_code: 'EUR',
    };
    await changed(() => put('/api/orders/cancel', { order_tax_mode: 'TAX_EXCLUDED', cancelations: [cancelation] }));
    await changed(() => put('/api/orders/O-1/ship'));
    await changed(() =>
      put('/api/orders/refund', { order_tax_mode: 'TAX_EXCLUDED', refunds: [{ ...cancelation, reason_code: '18' }] }),
    );
    await changed(() =>
      mmp.addDocument('O-1', { file_name: 'invoice.pdf', type: 'CUSTOMER_INVOICE', body: new Uint8Array([1]) }),
    );
    await changed(() => mmp.changeOrder('O-1', { order_state: 'RECEIVED' }));
    await changed(() => mmp.changeOrder('O-1', { has_incident: true }));
    const times = stamps.map((stamp) => Date.parse(stamp ?? ''));
    expect(times.every((time, index) => index === 0 || time > (times[index - 1] ?? Infinity))).toBe(true);
    const { body } = await or11('order_tax_mode=TAX_EXCLUDED');
    expect(mmpSpec.validate('OR11_Response_200', body)).toEqual([]);
    expect(body.orders[0]).toMatchObject({
      order_state: 'RECEIVED',
      has_incident: true,
      last_updated_date: stamps.at(-1),
      order_lines: [
        {
          cancelations: [{ amount: 10, taxes: [{ code: 'TVA-20', amount: 2 }] }],
          refunds: [{ amount: 10, taxes: [{ amount: 2 }] }],
        },
      ],
    });
    expect((await or11('')).body.orders[0]?.order_lines[0]).toMatchObject({
      cancelations: [{ amount: 12 }],
      refunds: [{ amount: 12 }],
    });
  });

  it('places and changes orders over /_sim/', async () => {
    const placed = await fetch(`${mmp.url}/_sim/orders`, {
      method: 'POST',
      body: JSON.stringify({
        order_id: 'O-9',
        shopId: '2005',
        order_lines: [{ order_line_id: 'O-9-1', offer_sku: 'S', quantity: 1 }],
      }),
    });
    expect(placed.status).toBe(201);
    const patch = (orderId: string, body: unknown) =>
      fetch(`${mmp.url}/_sim/orders/${orderId}`, { method: 'PATCH', body: JSON.stringify(body) });
    const shipped = await patch('O-9', { order_state: 'SHIPPED', shipping_tracking: 'T-1' });
    expect(shipped.status).toBe(200);
    expect(await shipped.json()).toMatchObject({
      order_state: 'SHIPPED',
      shipping_tracking: 'T-1',
      order_lines: [{ order_line_state: 'SHIPPED' }],
    });
    expect((await or11('')).body.orders[0]?.customer.shipping_address).not.toBeNull();
    expect((await patch('O-9', { order_state: 'GONE' })).status).toBe(400);
    const incident = await patch('O-9', {
      order_lines: [{ order_line_id: 'O-9-1', order_line_state: 'INCIDENT_OPEN' }],
    });
    expect(await incident.json()).toMatchObject({
      has_incident: true,
      order_lines: [{ order_line_state: 'INCIDENT_OPEN' }],
    });
    expect(mmpSpec.validate('OR11_Response_200', (await or11('')).body)).toEqual([]);
    const unknownLine = await patch('O-9', { order_lines: [{ order_line_id: 'O-9-7', order_line_state: 'REFUNDED' }] });
    expect([unknownLine.status, await unknownLine.json()]).toEqual([
      400,
      { status: 400, message: 'Order line O-9-7 is not in order O-9' },
    ]);
    expect((await patch('O-404', { has_incident: true })).status).toBe(404);
  });

  it('RT11 filters on last update (moved by a decision or a document) and id, in seek pages carried by an opaque token, with the return documents', async () => {
    place('O-1', '2026-11-01T08:00:00Z', { order_state: 'SHIPPED' });
    const returns = Array.from({ length: 5 }, (_, index) =>
      mmp.addReturn({
        order_id: 'O-1',
        date_created: `2026-11-0${index + 2}T08:00:00Z`,
        return_lines: [{ order_line_id: 'O-1-1', quantity: 1 }],
      }),
    );
    const [first, second] = returns;
    mmp.addDocument('O-1', {
      file_name: 'label.pdf',
      type: 'SYSTEM_RETURN_LABEL',
      body: new Uint8Array([1]),
      entity: { type: 'RETURN', id: first?.id ?? '' },
    });
    const rt11 = (query: string) => get<Rt11Page>(`/api/returns?${query}`);

    const page1 = await rt11('limit=2');
    expect(mmpSpec.validate('RT11_Response_200', page1.body)).toEqual([]);
    expect(page1.body.data.map((found) => found.id)).toEqual([first?.id, second?.id]);
    expect(page1.body.data[0]?.documents).toEqual([{ id: expect.any(Number), type: 'SYSTEM_RETURN_LABEL' }]);
    const page2 = await rt11(`page_token=${page1.body.next_page_token}&limit=100&return_id=nothing`);
    expect(page2.body.data.map((found) => found.id)).toEqual(returns.slice(2, 4).map((found) => found.id));
    const page3 = await rt11(`page_token=${page2.body.next_page_token}`);
    expect([page3.body.data.map((found) => found.id), page3.body.next_page_token]).toEqual([
      [returns[4]?.id],
      undefined,
    ]);

    const accepted = await put('/api/returns/accept', { returns: [{ id: second?.id, accepted: true }] });
    expect(accepted.status).toBe(200);
    const changedSince = await rt11(
      `return_last_updated_from=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}&limit=100`,
    );
    expect(changedSince.body.data.map((found) => found.id)).toEqual([first?.id, second?.id]);
    expect((await rt11(`return_id=${first?.id}&return_id=${returns[4]?.id}`)).body.data).toHaveLength(2);
    expect((await rt11('limit=101')).status).toBe(400);
    expect((await rt11('page_token=garbage')).status).toBe(400);
    expect((await get<Rt11Page>('/api/returns', '2006')).body.data).toEqual([]);
  });
});
