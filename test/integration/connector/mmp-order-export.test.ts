import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMmpTransport } from '../../../lib/channel/mmp/client.js';
import {
  exportOrders,
  OrderExportError,
  yearlyWindows,
  type OrderExportOptions,
  type OrderExportPage,
  type OrderExportProgress,
} from '../../../lib/channel/mmp/order-export.js';
import { createHttpClient, HttpError } from '../../../lib/http/index.js';
import { literalSecret } from '../../../lib/secrets.js';
import { startMmpSimulator, type MmpSimulator } from '../../../local/simulators/mmp.js';
import { createSpecValidator } from '../../../local/simulators/spec-validator.js';

const mmpSpec = createSpecValidator(
  fileURLToPath(new URL('../../../contracts/mirakl-mmp-seller-openapi.json', import.meta.url)),
);
const DAY_MS = 86_400_000;

describe('MMP order export (OR13, OR14, OR15): simulator and client', () => {
  let mmp: MmpSimulator;
  let slow: MmpSimulator;
  const send = createHttpClient({ baseDelayMs: 1, maxDelayMs: 5 });
  beforeAll(async () => {
    mmp = await startMmpSimulator({
      shops: [
        { shopId: '2005', apiKey: 'key' },
        { shopId: '2006', apiKey: 'key' },
      ],
      exportDelayMs: 0,
      exportFileMaxOrders: 2,
    });
    slow = await startMmpSimulator({ shops: [{ shopId: '2005', apiKey: 'key' }], exportDelayMs: 1500 });
  });
  afterAll(async () => {
    await mmp.close();
    await slow.close();
  });
  beforeEach(() => {
    mmp.reset();
    slow.reset();
  });

  const options = (simulator: MmpSimulator, extra: Partial<OrderExportOptions> = {}): OrderExportOptions => ({
    transport: createMmpTransport({
      baseUrl: simulator.url,
      store: { channelStoreId: '2005', shopId: '2005', apiKey: literalSecret('key') },
      send,
    }),
    baseUrl: simulator.url,
    send,
    pollIntervalMs: 20,
    ...extra,
  });
  const place = (simulator: MmpSimulator, count: number, updated: (index: number) => string) => {
    for (let index = 0; index < count; index += 1) {
      simulator.addOrder({
        order_id: `O-${index}`,
        shopId: '2005',
        created_date: new Date(Date.parse('2025-01-01T00:00:00Z') + index * 1000).toISOString(),
        last_updated_date: updated(index),
        order_state: 'SHIPPING',
        order_lines: [{ order_line_id: `O-${index}-1`, offer_sku: 'S', quantity: 1, price_unit: 10 }],
      });
    }
  };
  const collect = async (pages: AsyncGenerator<OrderExportPage>) => {
    const all: OrderExportPage[] = [];
    for await (const page of pages) all.push(page);
    return all;
  };
  const post = (simulator: MmpSimulator, body: unknown) =>
    fetch(`${simulator.url}/api/orders/async-export?shop_id=2005`, {
      method: 'POST',
      headers: { authorization: 'key', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const range = { start_update_date: '2026-01-01T00:00:00Z', end_update_date: '2026-02-01T00:00:00Z' };

  it('exports the orders changed in a range, in files that follow the spec, tax excluded', async () => {
    place(mmp, 5, (index) => `2026-03-0${index + 1}T10:00:00Z`);
    mmp.addOrder({
      order_id: 'OTHER-SHOP',
      shopId: '2006',
      last_updated_date: '2026-03-02T10:00:00Z',
      order_lines: [{ order_line_id: 'X-1', offer_sku: 'S', quantity: 1 }],
    });
    const progress: OrderExportProgress[] = [];
    const pages = await collect(
      exportOrders(
        { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-05T12:00:00Z') },
        options(mmp, { onProgress: (step) => progress.push(step) }),
      ),
    );
    expect(pages.map((page) => page.orders.map((order) => order.order_id))).toEqual([
      ['O-1', 'O-2'],
      ['O-3', 'O-4'],
    ]);
    expect(pages.map((page) => [page.file, page.files, page.unreadable])).toEqual([
      [1, 2, []],
      [2, 2, []],
    ]);
    expect(pages[0]?.orders[0]).toMatchObject({ order_tax_mode: 'TAX_EXCLUDED', price: 10 });
    expect(progress.map((step) => step.stage)).toEqual(['requested', 'completed', 'downloaded', 'downloaded']);

    const or13 = mmp.requests().find((request) => request.route === 'OR13');
    expect(or13).toMatchObject({
      schemaErrors: [],
      body: {
        start_update_date: '2026-03-02T00:00:00.000Z',
        end_update_date: '2026-03-05T12:00:00.000Z',
        order_tax_mode: 'TAX_EXCLUDED',
        items_per_chunk: 10_000,
      },
    });
    const or15 = mmp.requests().filter((request) => request.route === 'OR15');
    expect(or15).toHaveLength(2);
    const file = await fetch(`${mmp.url}${or15[0]?.path}?file=${or15[0]?.query.file}&shop_id=2005`, {
      headers: { authorization: 'key' },
    });
    expect(mmpSpec.validate('OR15_Response_200_Ext_FileStructure', await file.json())).toEqual([]);
    expect(mmpSpec.validate('OR15_Response_200_Ext_FileStructure', { orders: [{ order_id: 'O-1' }] })).not.toEqual([]);
  });

  it('waits while the export is PENDING, polling OR14, and exports by creation date when asked', async () => {
    place(slow, 3, () => '2026-03-01T10:00:00Z');
    const progress: OrderExportProgress[] = [];
    const pages = await collect(
      exportOrders(
        { from: new Date('2025-01-01T00:00:01Z'), to: new Date('2025-01-02T00:00:00Z'), on: 'creation' },
        options(slow, { onProgress: (step) => progress.push(step) }),
      ),
    );
    expect(pages.flatMap((page) => page.orders.map((order) => order.order_id))).toEqual(['O-1', 'O-2']);
    expect(progress.some((step) => step.stage === 'pending')).toBe(true);
    expect(slow.requests().find((request) => request.route === 'OR13')?.body).toMatchObject({
      start_date: '2025-01-01T00:00:01.000Z',
      end_date: '2025-01-02T00:00:00.000Z',
    });
  });

  it('cuts a range over a year into yearly exports, one after the other', async () => {
    place(mmp, 3, (index) => ['2024-02-01T00:00:00Z', '2025-03-01T00:00:00Z', '2026-01-15T00:00:00Z'][index] ?? '');
    const pages = await collect(
      exportOrders({ from: new Date('2024-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') }, options(mmp)),
    );
    expect(pages.flatMap((page) => page.orders.map((order) => order.order_id))).toEqual(['O-0', 'O-1', 'O-2']);
    expect(mmp.requests().filter((request) => request.route === 'OR13')).toHaveLength(3);
    expect(yearlyWindows(new Date(0), new Date(365 * DAY_MS))).toHaveLength(1);
    expect(yearlyWindows(new Date(0), new Date(365 * DAY_MS + 1))).toHaveLength(2);
  });

  it('stops with a clear error when the export ends FAILED or CANCELED', async () => {
    place(mmp, 1, () => '2026-03-01T10:00:00Z');
    const window = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') };
    for (const failure of ['FAILED', 'CANCELED'] as const) {
      mmp.failNextExport(failure);
      const error = await collect(exportOrders(window, options(mmp))).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OrderExportError);
      expect(error).toMatchObject({
        status: failure,
        message: expect.stringMatching(
          new RegExp(`^MMP order export [0-9a-f-]{36} ended ${failure}: request a new one$`),
        ),
      });
    }
    expect(await collect(exportOrders(window, options(mmp)))).toHaveLength(1);
  });

  it('rides out a 429 and a 503 on OR14 and OR15', async () => {
    place(mmp, 1, () => '2026-03-01T10:00:00Z');
    mmp.injectFault({ route: 'OR14', status: 429, retryAfterSeconds: 0, times: 1 });
    mmp.injectFault({ route: 'OR15', status: 503, times: 1 });
    const pages = await collect(
      exportOrders({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') }, options(mmp)),
    );
    expect(pages.flatMap((page) => page.orders.map((order) => order.order_id))).toEqual(['O-0']);
    expect(
      mmp
        .requests()
        .filter((request) => request.route === 'OR14')
        .map((request) => request.status),
    ).toEqual([429, 200]);
  });

  it('names the orders of a file it cannot read, without their content, and reads the others', async () => {
    place(mmp, 1, () => '2026-03-01T10:00:00Z');
    const export_ = exportOrders(
      { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') },
      {
        ...options(mmp),
        baseUrl: 'http://elsewhere.invalid',
        send: async () =>
          new Response(JSON.stringify({ orders: [{ order_id: 'O-BAD', order_state: 5 }, mmp.order('O-0')] })),
      },
    );
    const [page] = await collect(export_);
    expect(page?.orders.map((order) => order.order_id)).toEqual(['O-0']);
    expect(page?.unreadable).toEqual([{ orderId: 'O-BAD', reason: expect.stringContaining('order_state') }]);
  });

  it('OR13 wants a date range with both bounds, at most a year long, and one export of the shop at a time', async () => {
    const refusal = async (body: unknown) => {
      const response = await post(slow, body);
      return [response.status, ((await response.json()) as { message: string }).message];
    };
    expect(await refusal({})).toEqual([400, expect.stringContaining('At least one date range is required')]);
    expect(await refusal({ start_update_date: '2026-01-01T00:00:00Z' })).toEqual([
      400,
      'start_update_date must be used with end_update_date',
    ]);
    expect(await refusal({ start_date: '2024-01-01T00:00:00Z', end_date: '2025-01-02T00:00:00Z' })).toEqual([
      400,
      "The range between start_date and end_date can't be greater than a year",
    ]);
    expect(await refusal({ ...range, items_per_chunk: 2 })).toEqual([400, '/items_per_chunk must be >= 10000']);
    const first = await post(slow, range);
    expect(first.status).toBe(200);
    const { tracking_id: trackingId } = (await first.json()) as { tracking_id: string };
    expect(await refusal(range)).toEqual([400, `An export is already in progress for this shop (${trackingId})`]);
    const status = await fetch(`${slow.url}/api/orders/async-export/status/${trackingId}?shop_id=2005`, {
      headers: { authorization: 'key' },
    });
    expect(await status.json()).toEqual({ status: 'PENDING', last_updated: expect.any(String) });
    expect(
      (
        await fetch(`${slow.url}/api/orders/async-export/status/unknown?shop_id=2005`, {
          headers: { authorization: 'key' },
        })
      ).status,
    ).toBe(404);
  });

  it('keeps exports to their shop', async () => {
    const created = await post(mmp, range);
    const { tracking_id: trackingId } = (await created.json()) as { tracking_id: string };
    const statusFor = (shopId: string) =>
      fetch(`${mmp.url}/api/orders/async-export/status/${trackingId}?shop_id=${shopId}`, {
        headers: { authorization: 'key' },
      });
    expect([(await statusFor('2005')).status, (await statusFor('2006')).status]).toEqual([200, 404]);
  });

  it('lets an error on OR13 through', async () => {
    mmp.injectFault({ route: 'OR13', status: 400, times: 1 });
    const error = await collect(
      exportOrders({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') }, options(mmp)),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
  });
});
