import type { MmpImportStores } from '../channel/mmp/import-stores.js';
import { count, errorForLog, logger, MetricName } from '../observability.js';
import { ConnectorError } from '../errors.js';
import { syncStoreOrders, type SyncTiming } from './order-course.js';
import type { DocumentStep } from './order-documents.js';
import { syncStoreReturns, type ReturnsDeps } from './returns-course.js';
import { StoreUnknownToConnect, type OrderSender } from './send-orders.js';
import type { Kind, RunSummary, RunTally, StoreClaim } from './state.js';

export interface OrderSyncOptions extends Omit<ReturnsDeps, 'client' | 'orders'> {
  stores: MmpImportStores;
  orders: OrderSender;
  /** The documents of the orders (and return labels of the returns) Connect accepted; unset, documents are not synchronised. */
  documents?: DocumentStep;
  /** The least time between two polls of a store: OR11 (`orders`) and RT11 (`returns`) have their own rules. */
  timing: SyncTiming & { minIntervalMs: Record<Kind, number> };
}

/** What a run did for each store and kind; `skipped` when another run held the store or polled it too recently. */
export type StoreRuns = Record<string, Partial<Record<Kind, RunSummary | 'skipped'>>>;

/** Why a store's run stopped early, as its summary says it; logged by id and short reason only. */
const stopped = (store: string, kind: Kind, error: unknown): RunTally['result'] => {
  if (error instanceof StoreUnknownToConnect) {
    logger.error('Configuration error: Connect does not know this store; its import waits for the fix', {
      store,
      kind,
      reason: error.message,
    });
    count(MetricName.ImportConfigurationErrors);
    return 'configuration-error';
  }
  if (error instanceof ConnectorError && error.transient)
    logger.warn('Import interrupted by an outage or throttling: the next run goes on from here', {
      store,
      kind,
      reason: error.message,
    });
  else
    logger.error('Import interrupted by an unexpected error: the next run goes on from here', {
      store,
      kind,
      error: errorForLog(error),
    });
  count(MetricName.ImportInterruptions);
  return 'interrupted';
};

/**
 * One scheduled run of orderSync: every store served, at the same time, each on its own: for each, its orders
 * (order-course.ts), then its returns (returns-course.ts), each under a claim (state.ts). One store's failure is
 * logged, counted and kept in its summary; the others go on.
 */
export const createOrderSync =
  (options: OrderSyncOptions) =>
  async (runStart: number, deadline: number): Promise<StoreRuns> => {
    const runs: StoreRuns = {};
    const at = new Date(runStart).toISOString();

    const runKind = async (
      store: string,
      kind: Kind,
      course: (claim: StoreClaim, tally: RunTally) => Promise<void>,
    ) => {
      const claim = await options.state.claim(store, kind, deadline, options.timing.minIntervalMs[kind]);
      if (!claim) {
        logger.info('Store skipped: another run holds it, or it was polled less than the minimum interval ago', {
          store,
          kind,
        });
        return 'skipped' as const;
      }
      const tally: RunTally = { result: 'complete', imported: 0, parked: 0 };
      await course(claim, tally).catch((error: unknown) => {
        tally.result = stopped(store, kind, error);
      });
      const summary = { at, ...tally };
      await options.state.release(claim, summary);
      return summary;
    };

    const syncStore = async (store: string) => {
      const client = await options.stores.clientFor(store);
      if (!client) throw new Error(`store ${store} has no marketplace configuration`);
      const deps = { ...options, client, runStart };
      runs[store] = {
        orders: await runKind(store, 'orders', (claim, tally) =>
          syncStoreOrders(claim, tally, { ...deps, sender: options.orders }),
        ),
      };
      runs[store].returns = await runKind(store, 'returns', (claim, tally) => syncStoreReturns(claim, tally, deps));
    };

    const stores = await options.stores.storeIds();
    await options.state.registerStores(stores);
    await Promise.all(
      stores.map((store) =>
        syncStore(store).catch((error: unknown) => {
          logger.error('Store not synchronised in this run', { store, error: errorForLog(error) });
          count(MetricName.ImportInterruptions);
        }),
      ),
    );
    return runs;
  };
