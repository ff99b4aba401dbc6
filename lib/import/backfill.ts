import type { MmpImportedOrder } from '../channel/mmp/imported-order.js';
import type { MmpImportClient, Read, UpdateWindow } from '../channel/mmp/import-client.js';
import { exportOrders, type OrderExportOptions } from '../channel/mmp/order-export.js';
import { changedOrderPages } from './order-course.js';
import type { OrderSender } from './send-orders.js';

/** Pages of orders to import, and how many there are in all when the source can tell (or where it is: file n of m). */
export type OrderPages = AsyncIterable<{
  page: Read<MmpImportedOrder>;
  total?: number;
  file?: { number: number; of: number };
}>;

/** The OR11 walk over a window of last-update dates, as pages to import. */
export async function* orderPagesOf(client: MmpImportClient, window: UpdateWindow): OrderPages {
  for await (const { page, window: after } of changedOrderPages(client, { ...window, offset: 0 }))
    yield { page, total: after.totalCount };
}

/** MMP's asynchronous export of the window (OR13, OR14 until COMPLETED, OR15 per file; a year per export), as pages. */
export async function* exportedPagesOf(window: UpdateWindow, options: OrderExportOptions): OrderPages {
  for await (const page of exportOrders(
    { from: new Date(window.from), to: new Date(window.to), on: 'update' },
    options,
  )) {
    yield {
      page: {
        items: page.orders,
        unreadable: page.unreadable.map((item) => ({ id: item.orderId, reason: item.reason })),
      },
      file: { number: page.file, of: page.files },
    };
  }
}

export interface BackfillTally {
  read: number;
  imported: number;
  parked: number;
  total?: number;
  file?: { number: number; of: number };
}

/**
 * Imports every order of `pages` into one store, in pages, with the same mapping, validation, isolation and parking
 * as the scheduled import; cursors are not touched (a backfill is a past period, the schedule goes on from its own).
 * `progress` is called after each page.
 */
export const backfillStore = async (
  store: string,
  pages: OrderPages,
  sender: OrderSender,
  progress: (tally: BackfillTally) => void,
): Promise<BackfillTally> => {
  const tally: BackfillTally = { read: 0, imported: 0, parked: 0 };
  for await (const { page, total, file } of pages) {
    const sent = await sender.send(store, page);
    tally.read += page.items.length + page.unreadable.length;
    tally.imported += sent.imported.length;
    tally.parked += sent.parked.length;
    if (total !== undefined) tally.total = Math.max(total, tally.read);
    if (file !== undefined) tally.file = file;
    progress({ ...tally });
  }
  return tally;
};
