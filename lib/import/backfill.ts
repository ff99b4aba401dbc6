import type { MmpImportedOrder } from '../channel/mmp/imported-order.js';
import type { MmpImportClient, Read, UpdateWindow } from '../channel/mmp/import-client.js';
import { changedOrderPages } from './order-course.js';
import type { OrderSender } from './send-orders.js';

/** Pages of orders to import, and how many there are in all when the source can tell. */
export type OrderPages = AsyncIterable<{ page: Read<MmpImportedOrder>; total?: number }>;

/** The OR11 walk over a window of last-update dates, as pages to import. */
export async function* orderPagesOf(client: MmpImportClient, window: UpdateWindow): OrderPages {
  for await (const { page, window: after } of changedOrderPages(client, { ...window, offset: 0 })) yield { page, total: after.totalCount };
}

export interface BackfillTally {
  read: number;
  imported: number;
  parked: number;
  total?: number;
}

/**
 * Imports every order of `pages` into one store, in pages, with the same mapping, validation, isolation and parking
 * as the scheduled import; cursors are not touched (a backfill is a past period, the schedule goes on from its own).
 * `progress` is called after each page.
 */
export const backfillStore = async (store: string, pages: OrderPages, sender: OrderSender, progress: (tally: BackfillTally) => void): Promise<BackfillTally> => {
  const tally: BackfillTally = { read: 0, imported: 0, parked: 0 };
  for await (const { page, total } of pages) {
    const sent = await sender.send(store, page);
    tally.read += page.items.length + page.unreadable.length;
    tally.imported += sent.imported.length;
    tally.parked += sent.parked.length;
    if (total !== undefined) tally.total = Math.max(total, tally.read);
    progress({ ...tally });
  }
  return tally;
};
