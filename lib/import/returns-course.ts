import type { MmpImportedReturn } from '../channel/mmp/imported-order.js';
import type { MmpImportClient, Read } from '../channel/mmp/import-client.js';
import { toConnectReturn } from '../channel/mmp/order-mapping.js';
import {
  ConnectReturnSchema,
  describeInvalidBody,
  MAX_UPSERT_ITEMS,
  type ConnectReturn,
  type UpsertClient,
} from '../connect/index.js';
import { HttpError } from '../http/index.js';
import { count, errorForLog, logger, MetricName } from '../observability.js';
import { nextWindow, type SyncTiming } from './order-course.js';
import type { DocumentStep } from './order-documents.js';
import { StoreUnknownToConnect, type OrderSender } from './send-orders.js';
import type { ImportState, RunTally, StoreClaim, WindowProgress } from './state.js';

/** Connect's limit: upsertReturns at most once a minute (per store, the cautious reading of §9 Q7). */
export const RETURNS_CALL_INTERVAL_MS = 60_000;

/** `returns[3].status` → 3. */
const RETURN_PATH = /(?:^|[.$])returns(?:\[(\d+)\]|\.(\d+))(?=$|[.[])/;

export interface ReturnsFlush {
  /** `sent`: one upsertReturns call was made; `deferred`: the store's call of the minute was taken, they wait. */
  kind: 'sent' | 'deferred' | 'nothing';
  /** The returns Connect accepted in this call. */
  accepted: MmpImportedReturn[];
  imported: number;
  parked: number;
}

export interface ReturnsDeps {
  client: MmpImportClient;
  upserts: UpsertClient;
  orders: OrderSender;
  state: ImportState;
  channelId: string;
}

/**
 * Sends a store's returns: those in hand and those pending, at most 100 in one upsertReturns call and one call a
 * minute per store. The call of the minute is claimed with a conditional write (concurrent invocations share it);
 * without it, or beyond 100, returns wait in the pending set for the next flush. A 200 is read return by return:
 * a refusal is most often a return whose order Connect does not hold yet, so that order is upserted at once and
 * the return waits for the next flush; refused a second time, it is parked. Nothing is dropped.
 */
export const flushReturns = async (
  store: string,
  read: Read<MmpImportedReturn>,
  deps: ReturnsDeps,
): Promise<ReturnsFlush> => {
  const { state } = deps;
  const inHand = { ...read, items: latestOf(read.items) };
  const flush: ReturnsFlush = { kind: 'nothing', accepted: [], imported: 0, parked: 0 };
  const park = async (returnId: string, reason: string) => {
    logger.error('Return parked: it is not imported until replayed', { store, channel_return_id: returnId, reason });
    count(MetricName.OrdersParked);
    flush.parked += 1;
    await state.park(store, 'returns', returnId, reason);
    await state.removePendingReturns(store, [returnId]);
  };
  for (const unreadable of inHand.unreadable) {
    if (unreadable.id !== undefined) await park(unreadable.id, `unreadable from the marketplace: ${unreadable.reason}`);
  }

  const { pending, retried } = await state.pendingReturns(store);
  if (inHand.items.length === 0 && pending.length === 0) return flush;
  if (!(await state.claimReturnsCall(store, RETURNS_CALL_INTERVAL_MS))) {
    await state.addPendingReturns(
      store,
      inHand.items.map((item) => item.id),
    );
    logger.info('Returns wait for the next call (one a minute per store)', { store, returns: inHand.items.length });
    return { ...flush, kind: 'deferred' };
  }

  const held = new Set(inHand.items.map((item) => item.id));
  const toRead = pending.filter((id) => !held.has(id)).slice(0, Math.max(0, MAX_UPSERT_ITEMS - inHand.items.length));
  const reread = toRead.length > 0 ? await deps.client.returnsByIds(toRead) : { items: [], unreadable: [] };
  for (const unreadable of reread.unreadable)
    if (unreadable.id !== undefined) await park(unreadable.id, `unreadable from the marketplace: ${unreadable.reason}`);
  const found = new Set([
    ...reread.items.map((item) => item.id),
    ...reread.unreadable.flatMap((item) => item.id ?? []),
  ]);
  const gone = toRead.filter((id) => !found.has(id));
  if (gone.length > 0) {
    logger.warn('Pending returns the marketplace no longer lists: dropped from the pending set', {
      store,
      returns: gone,
    });
    await state.removePendingReturns(store, gone);
  }

  const all = [...inHand.items, ...reread.items];
  const batch = all.slice(0, MAX_UPSERT_ITEMS);
  await state.addPendingReturns(
    store,
    all.slice(MAX_UPSERT_ITEMS).map((item) => item.id),
  );
  const valid: ConnectReturn[] = [];
  for (const mmpReturn of batch) {
    const mapped = mapReturn(mmpReturn);
    if ('reason' in mapped) await park(mmpReturn.id, mapped.reason);
    else valid.push(mapped.connectReturn);
  }
  if (valid.length === 0) return flush;

  const origin = { channel_id: deps.channelId, channel_store_id: store };
  const ids = valid.map((item) => item.channel_return_id);
  count(MetricName.ReturnUpsertCalls);
  const result = await deps.upserts.upsertReturns(origin, valid).catch(async (error: unknown) => {
    await state.addPendingReturns(store, ids);
    throw error;
  });
  if (result.kind === 'store-unknown') {
    await state.addPendingReturns(store, ids);
    throw new StoreUnknownToConnect(store, result.code);
  }
  if (result.kind === 'rejected') {
    const named = new Set(
      result.fields.flatMap((field) => {
        const match = RETURN_PATH.exec(field);
        return match ? [Number(match[1] ?? match[2])] : [];
      }),
    );
    for (const [index, item] of valid.entries()) {
      if (named.size === 0 || named.has(index))
        await park(
          item.channel_return_id,
          `Connect refused the call: ${result.code ?? 'no error code'}${named.size > 0 ? ` at returns[${index}]` : ''}`,
        );
      else await state.addPendingReturns(store, [item.channel_return_id]);
    }
    return { ...flush, kind: 'sent' };
  }

  await state.removePendingReturns(store, result.succeeded);
  const wasParked = new Set(await state.parkedIds(store, 'returns'));
  await state.unpark(
    store,
    'returns',
    result.succeeded.filter((id) => wasParked.has(id)),
  );
  flush.imported = result.succeeded.length;
  const succeeded = new Set(result.succeeded);
  flush.accepted = all.filter((item) => succeeded.has(item.id));
  count(MetricName.ReturnsImported, result.succeeded.length);
  const again = new Set(retried);
  const firstRefusals = result.refused.filter((refusal) => !again.has(refusal.channel_return_id));
  for (const refusal of result.refused.filter((item) => again.has(item.channel_return_id))) {
    await park(
      refusal.channel_return_id,
      `Connect refused it twice, its order upserted in between: ${refusal.codes.join(', ') || 'no error code'}${refusal.fields.length > 0 ? ` at ${refusal.fields.join(', ')}` : ''}`,
    );
  }
  if (firstRefusals.length > 0) {
    const refusedIds = firstRefusals.map((refusal) => refusal.channel_return_id);
    await state.addPendingReturns(store, refusedIds, refusedIds);
    const orderIds = [...new Set(firstRefusals.map((refusal) => refusal.channel_order_id))];
    logger.warn('Connect refused returns: their orders are upserted first, the returns go with the next call', {
      store,
      returns: refusedIds,
      orders: orderIds,
    });
    await deps.orders.send(store, await deps.client.ordersByIds(orderIds));
  }
  logger.info('Returns imported', { store, imported: flush.imported, refused: result.refused.length });
  return { ...flush, kind: 'sent' };
};

/** The latest version of each return: reads by order line may list a return once per line. */
const latestOf = (returns: MmpImportedReturn[]): MmpImportedReturn[] => {
  const latest = new Map<string, MmpImportedReturn>();
  for (const item of returns) {
    const known = latest.get(item.id);
    if (!known || Date.parse(item.last_updated) >= Date.parse(known.last_updated)) latest.set(item.id, item);
  }
  return [...latest.values()];
};

const mapReturn = (mmpReturn: MmpImportedReturn): { connectReturn: ConnectReturn } | { reason: string } => {
  let mapped: unknown;
  try {
    mapped = toConnectReturn(mmpReturn);
  } catch (error) {
    logger.error('Mapping a return failed', { channel_return_id: mmpReturn.id, error: errorForLog(error) });
    return { reason: `mapping failed (${errorForLog(error).name})` };
  }
  const valid = ConnectReturnSchema.safeParse(mapped);
  return valid.success
    ? { connectReturn: valid.data }
    : { reason: `invalid for Connect: ${describeInvalidBody(valid.error)}` };
};

/**
 * The documents of the orders whose returns Connect just accepted with documents attached (RT11 `documents[]`):
 * a return label is uploaded tied to its return, which the orders' own course could not name.
 */
const returnLabelsOf = async (
  store: string,
  accepted: MmpImportedReturn[],
  deps: { client: MmpImportClient; documents?: DocumentStep },
) => {
  const withDocuments = accepted.filter((item) => (item.documents ?? []).length > 0);
  if (!deps.documents || withDocuments.length === 0) return;
  const orders = await deps.client.ordersByIds([...new Set(withDocuments.map((item) => item.order_id))]);
  await deps.documents(store, orders.items, withDocuments);
};

/** The window's next RT11 page; a page token the marketplace no longer takes (400: expired) starts the window again. */
const readReturnsPage = async (store: string, window: WindowProgress, client: MmpImportClient) => {
  if (window.pageToken === undefined) return client.changedReturns({ window });
  try {
    return await client.changedReturns({ pageToken: window.pageToken });
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 400) throw error;
    logger.warn('RT11 refused the saved page token: the window is read again from its start', {
      store,
      reason: error.message,
    });
    return client.changedReturns({ window });
  }
};

/**
 * A store's returns in a scheduled run: one RT11 seek page (up to 100) of the returns changed since the returns
 * cursor (the same windows as the orders), flushed. The page's returns are then sent, pending or parked, so the
 * position moves past them: to the next page's token, or to the window's end.
 */
export const syncStoreReturns = async (
  claim: StoreClaim,
  tally: RunTally,
  deps: ReturnsDeps & { timing: SyncTiming; runStart: number; documents?: DocumentStep },
): Promise<void> => {
  const window = claim.position.window ?? nextWindow(claim.position, deps.runStart, deps.timing);
  const page = await readReturnsPage(claim.store, window, deps.client);
  const flush = await flushReturns(claim.store, page, deps);
  // An OR11 failure here leaves the position unsaved: the page is read again next run, and its labels with it.
  await returnLabelsOf(claim.store, flush.accepted, deps);
  const position = page.nextPageToken
    ? { ...claim.position, window: { ...window, pageToken: page.nextPageToken } }
    : { cursor: window.to };
  await deps.state.save(claim, position);
  Object.assign(tally, {
    result: page.nextPageToken ? 'continues' : 'complete',
    imported: flush.imported,
    parked: flush.parked,
  });
};
