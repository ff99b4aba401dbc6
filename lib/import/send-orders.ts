import { sendIsolating, type CallResult } from '../anonymization/isolate.js';
import type { MmpImportedOrder } from '../channel/mmp/imported-order.js';
import type { Read } from '../channel/mmp/import-client.js';
import { toConnectOrder, type OrderMappingOptions } from '../channel/mmp/order-mapping.js';
import {
  ConnectOrderSchema,
  describeInvalidBody,
  MAX_UPSERT_ITEMS,
  type ConnectOrder,
  type UpsertClient,
} from '../connect/index.js';
import { count, errorForLog, logger, measure, MetricName, MetricUnit } from '../observability.js';
import type { ImportState } from './state.js';

/** Connect answered 404: the channel or the store is unknown to it. A configuration error: nothing is bisected. */
export class StoreUnknownToConnect extends Error {
  override readonly name = 'StoreUnknownToConnect';
  constructor(
    readonly store: string,
    code: string | undefined,
  ) {
    super(
      `Connect does not know channel store ${store} (404${code ? ` ${code}` : ''}): check CONNECT_CHANNEL_ID and the store ids`,
    );
  }
}

export interface SentOrders {
  imported: string[];
  parked: string[];
  /** The largest import lag of the changes sent (ms), when `lagSince` was given and there were any. */
  lagMs?: number;
}

export interface OrderSender {
  /**
   * Maps, validates and upserts the orders of one store, 100 per call. What cannot be imported is parked with its
   * reason; an outage or throttling that outlasts the HTTP client's retries is thrown (nothing is parked for it).
   * `lagSince`: changes after this instant count in the import lag (the re-sent overlap and first runs do not).
   */
  send(store: string, read: Read<MmpImportedOrder>, options?: { lagSince?: string }): Promise<SentOrders>;
}

type Mapped = { order: ConnectOrder; updatedAt: number };

/** The latest version of each order: overlapping pages may hold one twice. */
const latestOf = (orders: MmpImportedOrder[]): MmpImportedOrder[] => {
  const latest = new Map<string, MmpImportedOrder>();
  for (const order of orders) {
    const known = latest.get(order.order_id);
    if (!known || Date.parse(order.last_updated_date) >= Date.parse(known.last_updated_date))
      latest.set(order.order_id, order);
  }
  return [...latest.values()];
};

export const createOrderSender = (options: {
  upserts: UpsertClient;
  state: ImportState;
  channelId: string;
  /** The mapping's options for a store (its reasons are the shop's own). */
  mappingFor?: (store: string) => Promise<OrderMappingOptions>;
  now?: () => number;
}): OrderSender => {
  const now = options.now ?? Date.now;

  const park = async (store: string, orderId: string, reason: string) => {
    logger.error('Order parked: it is not imported until replayed', { store, channel_order_id: orderId, reason });
    count(MetricName.OrdersParked);
    await options.state.park(store, 'orders', orderId, reason);
  };

  /** The whole Connect order, checked against the spec's constraints; a reason when it cannot be sent. */
  const mapOrder = (order: MmpImportedOrder, mapping: OrderMappingOptions): Mapped | { reason: string } => {
    let mapped: unknown;
    try {
      mapped = toConnectOrder(order, mapping);
    } catch (error) {
      logger.error('Mapping an order failed', { channel_order_id: order.order_id, error: errorForLog(error) });
      return { reason: `mapping failed (${errorForLog(error).name})` };
    }
    const valid = ConnectOrderSchema.safeParse(mapped);
    if (!valid.success) return { reason: `invalid for Connect: ${describeInvalidBody(valid.error)}` };
    return { order: valid.data, updatedAt: Date.parse(order.last_updated_date) };
  };

  return {
    async send(store, read, { lagSince } = {}) {
      const origin = { channel_id: options.channelId, channel_store_id: store };
      const sent: SentOrders = { imported: [], parked: [] };
      for (const unreadable of read.unreadable) {
        if (unreadable.id === undefined) {
          logger.error('The marketplace answered an order without an order_id: skipped', {
            store,
            reason: unreadable.reason,
          });
          count(MetricName.OrdersParked);
          continue;
        }
        await park(store, unreadable.id, `unreadable from the marketplace: ${unreadable.reason}`);
        sent.parked.push(unreadable.id);
      }
      const valid: Mapped[] = [];
      const mapping = read.items.length > 0 && options.mappingFor ? await options.mappingFor(store) : {};
      for (const order of latestOf(read.items)) {
        const mapped = mapOrder(order, mapping);
        if ('reason' in mapped) {
          await park(store, order.order_id, mapped.reason);
          sent.parked.push(order.order_id);
        } else {
          valid.push(mapped);
        }
      }

      const call = async (group: Mapped[]): Promise<CallResult> => {
        count(MetricName.UpsertCalls);
        const result = await options.upserts.upsertOrders(
          origin,
          group.map((item) => item.order),
        );
        if (result.kind === 'store-unknown') throw new StoreUnknownToConnect(store, result.code);
        return result.kind === 'accepted' ? { kind: 'applied' } : result;
      };
      const lagFrom = lagSince === undefined ? undefined : Date.parse(lagSince);
      for (let start = 0; start < valid.length; start += MAX_UPSERT_ITEMS) {
        const verdicts = await sendIsolating(valid.slice(start, start + MAX_UPSERT_ITEMS), {
          send: call,
          expired: () => undefined,
        });
        let lagMs: number | undefined;
        for (const [item, verdict] of verdicts) {
          const orderId = item.order.channel_order_id;
          if (verdict.kind === 'applied') {
            sent.imported.push(orderId);
            if (lagFrom !== undefined && item.updatedAt > lagFrom) lagMs = Math.max(lagMs ?? 0, now() - item.updatedAt);
          } else if (verdict.kind === 'rejected') {
            await park(
              store,
              orderId,
              `Connect refused it: ${verdict.code ?? 'no error code'}${verdict.field ? ` at ${verdict.field}` : ' (found by halving the call)'}`,
            );
            sent.parked.push(orderId);
          }
        }
        if (lagMs !== undefined) {
          measure(MetricName.ImportLag, MetricUnit.Milliseconds, lagMs);
          sent.lagMs = Math.max(sent.lagMs ?? 0, lagMs);
        }
      }
      count(MetricName.OrdersImported, sent.imported.length);
      const wasParked = new Set(await options.state.parkedIds(store, 'orders'));
      await options.state.unpark(
        store,
        'orders',
        sent.imported.filter((id) => wasParked.has(id)),
      );
      if (sent.imported.length + sent.parked.length > 0)
        logger.info('Orders imported', { store, imported: sent.imported.length, parked: sent.parked.length });
      return sent;
    },
  };
};
