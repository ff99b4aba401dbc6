import { createImportState, refreshMessageBody, type ImportState, type RunSummary } from '../import/index.js';
import type { ImportPosition } from '../import/state.js';
import { sendInBatches } from '../queue/index.js';
import type { OpsContext } from './commands.js';
import { age } from './describe.js';

const stateOf = async (context: OpsContext) =>
  createImportState({ tableName: await context.resource('table'), client: context.dynamodb });

const describePosition = (position: ImportPosition, now: number): string => {
  const cursor = position.cursor
    ? `cursor ${position.cursor} (${age(new Date(position.cursor), now)} behind)`
    : 'no cursor yet (first run to come)';
  const window = position.window;
  if (!window) return cursor;
  const where = window.pageToken
    ? 'a page token'
    : `offset ${window.offset}${window.totalCount === undefined ? '' : ` of ${window.totalCount}`}`;
  return `${cursor}; window ${window.from} → ${window.to} under way, at ${where}`;
};

const describeRun = (run: RunSummary | undefined): string =>
  run === undefined
    ? 'never run'
    : `last run ${run.at}: ${run.result}, ${run.imported} imported, ${run.parked} parked${run.lagMs === undefined ? '' : `, lag up to ${(run.lagMs / 1000).toFixed(1)} s`}`;

const storesOf = async (state: ImportState, store: string | undefined) =>
  store === undefined ? state.knownStores() : [store];

/** `sync:status` and `sync:replay`: where the import of each store stands, and replaying what was parked. */
export const syncCommands = {
  async syncStatus(context: OpsContext, options: { store?: string; now?: number }): Promise<number> {
    const state = await stateOf(context);
    const now = options.now ?? Date.now();
    const stores = await storesOf(state, options.store);
    if (stores.length === 0) context.print('No store imported yet (orderSync has not run).');
    for (const store of stores) {
      const [orders, returns, parkedOrders, parkedReturns] = await Promise.all([
        state.read(store, 'orders'),
        state.read(store, 'returns'),
        state.parked(store, 'orders'),
        state.parked(store, 'returns'),
      ]);
      const running = orders.leasedUntil !== undefined && orders.leasedUntil > now ? ' (a run is under way)' : '';
      context.print(`store ${store}${running}`);
      context.print(`  orders   ${describePosition(orders.position, now)}`);
      context.print(`           ${describeRun(orders.lastRun)}`);
      context.print(
        `  returns  ${describePosition(returns.position, now)}; ${returns.pending.length} pending for the next call`,
      );
      context.print(`           ${describeRun(returns.lastRun)}`);
      context.print(`  parked   ${parkedOrders.length} order(s), ${parkedReturns.length} return(s)`);
      for (const item of [
        ...parkedOrders.map((p) => ({ ...p, kind: 'order' })),
        ...parkedReturns.map((p) => ({ ...p, kind: 'return' })),
      ]) {
        context.print(`           ${item.kind} ${item.id}  parked ${item.at}  ${item.reason}`);
      }
    }
    return 0;
  },

  /**
   * Parked orders are named on the order-refresh queue (orderRefresh reads them again and upserts them; one that
   * lands is taken off the parked list); parked returns go back to the pending set of the next upsertReturns.
   */
  async syncReplay(context: OpsContext, options: { store?: string }): Promise<number> {
    const state = await stateOf(context);
    let failed = 0;
    for (const store of await storesOf(state, options.store)) {
      const orderIds = await state.parkedIds(store, 'orders');
      if (orderIds.length > 0) {
        const queueUrl = await context.resource('refreshQueueUrl');
        const bodies = orderIds.map((orderId) => ({ body: refreshMessageBody(store, orderId) }));
        failed += (await sendInBatches(context.sqs, queueUrl, bodies)).length;
      }
      const returnIds = await state.parkedIds(store, 'returns');
      await state.addPendingReturns(store, returnIds);
      await state.unpark(store, 'returns', returnIds);
      context.print(
        `store ${store}: ${orderIds.length} parked order(s) named on the order-refresh queue, ${returnIds.length} parked return(s) back in the pending set`,
      );
    }
    if (failed > 0) context.print(`${failed} order(s) could not be enqueued: run sync:replay again`);
    return failed > 0 ? 1 : 0;
  },
};
