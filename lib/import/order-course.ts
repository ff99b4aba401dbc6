import type { MmpImportClient } from '../channel/mmp/import-client.js';
import { timeLeft } from '../http/index.js';
import { logger } from '../observability.js';
import type { DocumentStep } from './order-documents.js';
import type { OrderSender } from './send-orders.js';
import type { ImportPosition, ImportState, RunTally, StoreClaim, WindowProgress } from './state.js';

/**
 * The OR11 pages of a window, from its offset: each with the window as it stands after it (`offset` past the page,
 * `totalCount` the window's size), and whether it was the last. When the window has shrunk since the offset was
 * reached (orders changed after its end leave it), the offset steps back by as many (see the timeline below).
 */
export async function* changedOrderPages(client: MmpImportClient, start: WindowProgress) {
  let window = start;
  for (;;) {
    const page = await client.changedOrders(window, window.offset);
    if (window.totalCount !== undefined && page.totalCount < window.totalCount && window.offset > 0) {
      window = {
        ...window,
        offset: Math.max(0, window.offset - (window.totalCount - page.totalCount)),
        totalCount: page.totalCount,
      };
      continue;
    }
    const count = page.items.length + page.unreadable.length;
    window = { ...window, offset: window.offset + count, totalCount: page.totalCount };
    const finished = count === 0 || window.offset >= page.totalCount;
    yield { page, window, finished };
    if (finished) return;
  }
}

/** The timing knobs of a run (milliseconds). */
export interface SyncTiming {
  overlapMs: number;
  firstLookbackMs: number;
  stopBeforeDeadlineMs: number;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** The window a run walks after its position's: from the cursor less the overlap (or the first look-back) to the run's start. */
export const nextWindow = (position: ImportPosition, runStart: number, timing: SyncTiming): WindowProgress => ({
  from: iso(
    position.cursor === undefined
      ? runStart - timing.firstLookbackMs
      : Math.min(Date.parse(position.cursor) - timing.overlapMs, runStart),
  ),
  to: iso(runStart),
  offset: 0,
});

/**
 * A store's orders, run after run. OR11 filters on `last_updated_date` and sorts by creation date; a window's end
 * is fixed when it starts, so an order changed after it leaves the window (it is in the next one) and the orders
 * after it move one place towards the start:
 *
 *   run 1 at t1   window [t1 − look-back, t1], page by page; each page upserted, then {window, offset, total} saved
 *                 near its deadline, at offset k: stops (the position says window [.., t1] from k, of n)
 *   run 2 at t2   goes on with [.., t1] from k − (n − n'), n' being the window's size now: whatever left the window
 *                 since may have sat before k, so stepping back by that many never skips one (a few are sent twice,
 *                 which Connect takes as the same version); at the end the cursor becomes t1.
 *                 then [t1 − overlap, t2] ... the cursor becomes t2
 *   run 3 at t3   [t2 − overlap, t3]
 *
 * So an order changed during run n (after tn) is in run n+1's window, and one the marketplace shows late with an
 * earlier stamp is in the overlap. The cursor moves to a window's end only once every order of the window was
 * accepted by Connect or parked; an outage stops the run where it got, and the next run goes on from there.
 */
export const syncStoreOrders = async (
  claim: StoreClaim,
  tally: RunTally,
  deps: {
    client: MmpImportClient;
    sender: OrderSender;
    state: ImportState;
    timing: SyncTiming;
    runStart: number;
    documents?: DocumentStep;
  },
): Promise<void> => {
  const { client, sender, state, timing, runStart, documents } = deps;
  const store = claim.store;
  const lagSince = claim.position.cursor;
  let position = claim.position;

  const walk = async (start: WindowProgress): Promise<'done' | 'deadline' | 'lost'> => {
    if (timeLeft() < timing.stopBeforeDeadlineMs) return 'deadline';
    for await (const { page, window, finished } of changedOrderPages(client, start)) {
      const sent = await sender.send(store, page, { lagSince });
      tally.imported += sent.imported.length;
      tally.parked += sent.parked.length;
      if (sent.lagMs !== undefined) tally.lagMs = Math.max(tally.lagMs ?? 0, sent.lagMs);
      if (documents) {
        const accepted = new Set(sent.imported);
        await documents(
          store,
          page.items.filter((order) => accepted.has(order.order_id)),
          [],
        );
      }
      position = finished ? { cursor: window.to } : { ...position, window };
      if (!(await state.save(claim, position))) return 'lost';
      if (finished) return 'done';
      if (timeLeft() < timing.stopBeforeDeadlineMs) return 'deadline';
    }
    return 'done';
  };

  const windows = [position.window, undefined];
  for (const resumed of windows) {
    const outcome = await walk(resumed ?? nextWindow(position, runStart, timing));
    if (outcome === 'lost') {
      logger.warn('The store was claimed by another run: this one stops', { store });
      tally.result = 'interrupted';
      return;
    }
    if (outcome === 'deadline') {
      logger.info('Near the deadline: progress saved, the next run goes on from it', {
        store,
        window: position.window,
      });
      tally.result = 'continues';
      return;
    }
    if (resumed === undefined) return;
  }
};
