import { describe, expect, it } from 'vitest';
import type { MmpImportClient, Read } from '../../../lib/channel/mmp/import-client.js';
import type { MmpImportedOrder } from '../../../lib/channel/mmp/imported-order.js';
import { changedOrderPages, nextWindow } from '../../../lib/import/order-course.js';

const timing = { overlapMs: 120_000, firstLookbackMs: 30 * 86_400_000, stopBeforeDeadlineMs: 20_000 };
const runStart = Date.parse('2026-12-03T10:00:00.000Z');

describe('the window of a run', () => {
  it('looks back the first look-back on a store with no cursor', () => {
    expect(nextWindow({}, runStart, timing)).toEqual({
      from: '2026-11-03T10:00:00.000Z',
      to: '2026-12-03T10:00:00.000Z',
      offset: 0,
    });
  });

  it('starts the overlap before the cursor and ends at the run start', () => {
    expect(nextWindow({ cursor: '2026-12-03T09:55:00.000Z' }, runStart, timing)).toEqual({
      from: '2026-12-03T09:53:00.000Z',
      to: '2026-12-03T10:00:00.000Z',
      offset: 0,
    });
  });
});

/**
 * OR11 as the marketplace answers it: the orders whose last update is within the window, sorted by creation, a page
 * from the offset. `between` runs before every call after the first, to change orders while the walk goes on.
 */
const marketplace = (
  orders: Array<{ id: string; updated: string }>,
  between: (orders: Array<{ id: string; updated: string }>) => void,
  pageSize = 3,
) => {
  let calls = 0;
  const client: Pick<MmpImportClient, 'changedOrders'> = {
    async changedOrders(window, offset) {
      if (calls++ > 0) between(orders);
      const inWindow = orders.filter((order) => order.updated >= window.from && order.updated <= window.to);
      const items = inWindow
        .slice(offset, offset + pageSize)
        .map((order) => ({ order_id: order.id, last_updated_date: order.updated }) as MmpImportedOrder);
      return { items, unreadable: [], totalCount: inWindow.length } satisfies Read<MmpImportedOrder> & {
        totalCount: number;
      };
    },
  };
  return client as MmpImportClient;
};

const walk = async (client: MmpImportClient, window: { from: string; to: string }) => {
  const seen: string[] = [];
  for await (const { page } of changedOrderPages(client, { ...window, offset: 0 }))
    seen.push(...page.items.map((order) => order.order_id));
  return seen;
};

describe('walking a window whose orders change during the walk', () => {
  const window = { from: '2026-12-03T09:00:00.000Z', to: '2026-12-03T10:00:00.000Z' };
  const orders = () =>
    Array.from({ length: 9 }, (_, index) => ({ id: `O${index + 1}`, updated: '2026-12-03T09:30:00.000Z' }));

  it('reads every order once when nothing changes', async () => {
    expect(
      await walk(
        marketplace(orders(), () => undefined),
        window,
      ),
    ).toEqual(['O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9']);
  });

  it('skips none when orders of pages already read leave the window (changed after its end)', async () => {
    let changed = false;
    const client = marketplace(orders(), (all) => {
      if (changed) return;
      changed = true;
      for (const id of ['O1', 'O2'])
        (all.find((order) => order.id === id) as { updated: string }).updated = '2026-12-03T10:00:30.000Z';
    });

    const seen = await walk(client, window);

    // O4 and O5 moved to offsets 2 and 3: without stepping back by the 2 orders gone, the walk would resume at O6.
    for (const id of ['O3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9']) expect(seen, id).toContain(id);
  });
});
