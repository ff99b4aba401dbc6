import * as z from 'zod';
import { describeInvalidBody, MAX_UPSERT_ITEMS } from '../../connect/channel-orders.js';
import {
  MmpImportedOrderSchema,
  MmpImportedReturnSchema,
  type MmpImportedOrder,
  type MmpImportedReturn,
} from './imported-order.js';
import type { MmpTransport } from './client.js';

/** OR11 `max` and RT11 `limit`: MMP's largest page, and the most ids one OR11 call takes (as many as one upsert takes). */
export const MMP_PAGE_SIZE = MAX_UPSERT_ITEMS;

/** An object of a page that does not read as the schema says: its id when it has one, and where it breaks. */
export interface Unreadable {
  id: string | undefined;
  /** Field paths and zod issue codes only: never a value (they are customers' data). */
  reason: string;
}

export interface Read<T> {
  items: T[];
  unreadable: Unreadable[];
}

/** A window of last-update dates, both ends included, as ISO date-times. */
export interface UpdateWindow {
  from: string;
  to: string;
}

export interface MmpImportClient {
  /** One OR11 page of the orders changed in `window` (sorted by creation date), from `offset`; `totalCount` is the window's. */
  changedOrders(window: UpdateWindow, offset: number): Promise<Read<MmpImportedOrder> & { totalCount: number }>;
  /** OR11 by ids, one call per 100 ids; an id the marketplace does not know is simply not in the answer. */
  ordersByIds(orderIds: string[]): Promise<Read<MmpImportedOrder>>;
  /** One RT11 seek page of the returns changed in `window`, or the page a token names. */
  changedReturns(
    page: { window: UpdateWindow } | { pageToken: string },
  ): Promise<Read<MmpImportedReturn> & { nextPageToken?: string }>;
  /** RT11 by return ids, 100 per call. */
  returnsByIds(returnIds: string[]): Promise<Read<MmpImportedReturn>>;
  /** RT11 by order line ids (RT11 has no order id filter), 100 per call. */
  returnsOfLines(orderLineIds: string[]): Promise<Read<MmpImportedReturn>>;
}

/** Reads each object on its own, so one the schema refuses does not hide the others of its page. */
const readEach = <T>(schema: z.ZodType<T>, idField: string, raw: unknown[]): Read<T> => {
  const read: Read<T> = { items: [], unreadable: [] };
  for (const item of raw) {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      read.items.push(parsed.data);
    } else {
      const id = (item as Record<string, unknown> | null)?.[idField];
      read.unreadable.push({ id: typeof id === 'string' ? id : undefined, reason: describeInvalidBody(parsed.error) });
    }
  }
  return read;
};

const OrdersPage = z.object({ orders: z.array(z.unknown()), total_count: z.number().int().nonnegative().optional() });
const ReturnsPage = z.object({ data: z.array(z.unknown()), next_page_token: z.string().nullish() });

const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / MMP_PAGE_SIZE) }, (_, index) =>
    items.slice(index * MMP_PAGE_SIZE, (index + 1) * MMP_PAGE_SIZE),
  );

const merge = <T>(reads: Array<Read<T>>): Read<T> => ({
  items: reads.flatMap((read) => read.items),
  unreadable: reads.flatMap((read) => read.unreadable),
});

/**
 * The marketplace reads of the import, for one shop: OR11 (amounts tax-excluded, as Connect wants them) and RT11.
 * Each order or return is parsed on its own with the imported-order schemas (lenient: unknown fields and values
 * tolerated).
 */
export const createMmpImportClient = (call: MmpTransport): MmpImportClient => {
  const or11 = async (query: Record<string, string>) => {
    const response = await call({
      operation: 'OR11',
      method: 'GET',
      path: '/api/orders',
      query: { order_tax_mode: 'TAX_EXCLUDED', ...query },
    });
    const page = OrdersPage.parse(await response.json());
    return {
      ...readEach(MmpImportedOrderSchema, 'order_id', page.orders),
      totalCount: page.total_count ?? page.orders.length,
    };
  };

  const rt11 = async (query: Record<string, string | string[]>) => {
    const response = await call({ operation: 'RT11', method: 'GET', path: '/api/returns', query });
    const page = ReturnsPage.parse(await response.json());
    return {
      ...readEach(MmpImportedReturnSchema, 'id', page.data),
      ...(page.next_page_token ? { nextPageToken: page.next_page_token } : {}),
    };
  };

  /** Every page of an RT11 query. */
  const allReturns = async (query: Record<string, string | string[]>): Promise<Read<MmpImportedReturn>> => {
    const reads = [];
    let page = await rt11({ ...query, limit: String(MMP_PAGE_SIZE) });
    reads.push(page);
    while (page.nextPageToken) {
      page = await rt11({ page_token: page.nextPageToken });
      reads.push(page);
    }
    return merge(reads);
  };

  return {
    changedOrders: (window, offset) =>
      or11({
        start_update_date: window.from,
        end_update_date: window.to,
        paginate: 'true',
        max: String(MMP_PAGE_SIZE),
        offset: String(offset),
      }),

    async ordersByIds(orderIds) {
      const reads = [];
      for (const ids of chunks(orderIds))
        reads.push(await or11({ order_ids: ids.join(','), max: String(MMP_PAGE_SIZE) }));
      return merge(reads);
    },

    changedReturns: (page) =>
      'pageToken' in page
        ? rt11({ page_token: page.pageToken })
        : rt11({
            return_last_updated_from: page.window.from,
            return_last_updated_to: page.window.to,
            limit: String(MMP_PAGE_SIZE),
          }),

    async returnsByIds(returnIds) {
      const reads = [];
      for (const ids of chunks(returnIds)) reads.push(await allReturns({ return_id: ids }));
      return merge(reads);
    },

    async returnsOfLines(orderLineIds) {
      const reads = [];
      for (const ids of chunks(orderLineIds)) reads.push(await allReturns({ order_line_id: ids }));
      return merge(reads);
    },
  };
};
