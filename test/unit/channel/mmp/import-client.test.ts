import { describe, expect, it } from 'vitest';
import type { MmpCall, MmpTransport } from '../../../../lib/channel/mmp/client.js';
import { createMmpImportClient } from '../../../../lib/channel/mmp/import-client.js';
import { vendorOr11Order, vendorRt11Returns } from '../../../fixtures/mmp-orders.js';

/** A transport answering `body` to every call, and keeping the calls. */
const answering = (body: unknown) => {
  const calls: MmpCall[] = [];
  const transport: MmpTransport = async (call) => {
    calls.push(call);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { calls, client: createMmpImportClient(transport) };
};

describe('the import reads of the marketplace', () => {
  it('reads each order of an OR11 page on its own: one that breaks the schema is named with where, the others are read', async () => {
    const good = vendorOr11Order();
    const broken = { ...vendorOr11Order(), order_id: 'BROKEN-1', order_lines: 'not lines' };
    const { client, calls } = answering({ orders: [good, broken], total_count: 2 });

    const page = await client.changedOrders({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' }, 200);

    expect(page.items.map((order) => order.order_id)).toEqual([good.order_id]);
    expect(page.unreadable).toEqual([{ id: 'BROKEN-1', reason: expect.stringMatching(/^order_lines /) }]);
    expect(page.unreadable[0]?.reason).not.toContain('not lines');
    expect(page.totalCount).toBe(2);
    expect(calls[0]?.query).toEqual({
      order_tax_mode: 'TAX_EXCLUDED',
      start_update_date: '2026-12-01T00:00:00.000Z',
      end_update_date: '2026-12-02T00:00:00.000Z',
      paginate: 'true',
      max: '100',
      offset: '200',
    });
  });

  it('reads orders by id 100 per call', async () => {
    const { client, calls } = answering({ orders: [], total_count: 0 });

    await client.ordersByIds(Array.from({ length: 250 }, (_, index) => `O-${index}`));

    expect(calls.map((call) => String(call.query?.order_ids).split(',').length)).toEqual([100, 100, 50]);
  });

  it('follows RT11 seek pages for the returns of order lines, with the lines as a repeated parameter', async () => {
    const [first] = vendorRt11Returns();
    const pages = [{ data: [first], next_page_token: 'next' }, { data: [] }];
    const calls: MmpCall[] = [];
    const client = createMmpImportClient(async (call) => {
      calls.push(call);
      return new Response(JSON.stringify(pages[calls.length - 1]), { status: 200 });
    });

    const read = await client.returnsOfLines(['L-1', 'L-2']);

    expect(read.items).toHaveLength(1);
    expect(calls.map((call) => call.query)).toEqual([
      { order_line_id: ['L-1', 'L-2'], limit: '100' },
      { page_token: 'next' },
    ]);
  });
});
