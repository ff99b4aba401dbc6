import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import type { HttpSend } from '../../http/index.js';
import type { MmpTransport } from './client.js';
import { MmpImportedOrderSchema, type MmpImportedOrder } from './imported-order.js';

/** OR13 refuses a range longer than a year: a longer one is exported a year at a time, one export after the other. */
export const MAX_EXPORT_RANGE_MS = 365 * 86_400_000;

/** The orders to export: changed (`update`, the default) or created (`creation`) in [from, to]. */
export interface OrderExportRange {
  from: Date;
  to: Date;
  on?: 'update' | 'creation';
}

export type OrderExportProgress =
  | { stage: 'requested'; trackingId: string; from: string; to: string }
  | { stage: 'pending'; trackingId: string; polls: number }
  | { stage: 'completed'; trackingId: string; files: number }
  | { stage: 'downloaded'; trackingId: string; file: number; files: number; orders: number };

/** One export file: its orders, and those the import cannot read (an id, when there is one, and why; no personal data). */
export interface OrderExportPage {
  trackingId: string;
  file: number;
  files: number;
  orders: MmpImportedOrder[];
  unreadable: Array<{ orderId?: string; reason: string }>;
}

export interface OrderExportOptions {
  /** The shop's transport: OR13, OR14, and the files served under `baseUrl`, with the shop's key. */
  transport: MmpTransport;
  /** MMP_API_URL. A file URL elsewhere is fetched through `send` without the key, which never leaves the marketplace. */
  baseUrl: string;
  send: HttpSend;
  /** Between two OR14 calls; MMP recommends 10 s and allows every 2 s. @default 5000 */
  pollIntervalMs?: number;
  /** How long an export may stay PENDING before giving up. @default 30 minutes */
  maxWaitMs?: number;
  /** OR13 `items_per_chunk`: orders per file (and per page), 10,000 to 1,000,000. @default 10000 */
  itemsPerChunk?: number;
  onProgress?: (progress: OrderExportProgress) => void;
}

/** An export that did not complete: FAILED, CANCELED, or still PENDING when the wait ran out. */
export class OrderExportError extends Error {
  constructor(
    message: string,
    readonly trackingId: string,
    readonly status: string,
  ) {
    super(message);
    this.name = 'OrderExportError';
  }
}

const ExportCreated = z.object({ tracking_id: z.string() });
const ExportStatus = z.object({ status: z.string(), urls: z.array(z.string()).nullish() });
const ExportFile = z.object({ orders: z.array(z.unknown()) });

/**
 * The orders of a date range through MMP's asynchronous export: OR13, OR14 every `pollIntervalMs` until COMPLETED
 * (a status MMP may add later is waited on like PENDING), then OR15 on each file, yielded one page per file. Ranges over a year are cut into yearly exports, run one after
 * the other (MMP allows one export per shop at a time). Amounts are TAX_EXCLUDED, as the import maps them.
 */
export async function* exportOrders(
  range: OrderExportRange,
  options: OrderExportOptions,
): AsyncGenerator<OrderExportPage> {
  for (const [from, to] of yearlyWindows(range.from, range.to)) {
    const trackingId = await requestExport(from, to, range.on ?? 'update', options);
    options.onProgress?.({ stage: 'requested', trackingId, from: from.toISOString(), to: to.toISOString() });
    const urls = await completion(trackingId, options);
    options.onProgress?.({ stage: 'completed', trackingId, files: urls.length });
    for (const [index, url] of urls.entries()) {
      const page = { trackingId, file: index + 1, files: urls.length, ...(await download(url, options)) };
      options.onProgress?.({
        stage: 'downloaded',
        trackingId,
        file: page.file,
        files: page.files,
        orders: page.orders.length,
      });
      yield page;
    }
  }
}

export function yearlyWindows(from: Date, to: Date): Array<[Date, Date]> {
  if (to.getTime() < from.getTime())
    throw new RangeError(`Export range ends (${to.toISOString()}) before it starts (${from.toISOString()})`);
  const windows: Array<[Date, Date]> = [];
  for (let start = from.getTime(); ; start += MAX_EXPORT_RANGE_MS) {
    const end = Math.min(start + MAX_EXPORT_RANGE_MS, to.getTime());
    windows.push([new Date(start), new Date(end)]);
    if (end >= to.getTime()) return windows;
  }
}

async function requestExport(
  from: Date,
  to: Date,
  on: 'update' | 'creation',
  options: OrderExportOptions,
): Promise<string> {
  const bounds =
    on === 'update'
      ? { start_update_date: from.toISOString(), end_update_date: to.toISOString() }
      : { start_date: from.toISOString(), end_date: to.toISOString() };
  const response = await options.transport({
    operation: 'OR13',
    method: 'POST',
    path: '/api/orders/async-export',
    json: { ...bounds, order_tax_mode: 'TAX_EXCLUDED', items_per_chunk: options.itemsPerChunk ?? 10_000 },
    // A second OR13 while the first is pending is refused: a lost answer is not repeated blindly.
    repeatable: false,
  });
  return ExportCreated.parse(await response.json()).tracking_id;
}

async function completion(trackingId: string, options: OrderExportOptions): Promise<string[]> {
  const interval = options.pollIntervalMs ?? 5000;
  const giveUpAt = Date.now() + (options.maxWaitMs ?? 30 * 60_000);
  for (let polls = 1; ; polls += 1) {
    const response = await options.transport({
      operation: 'OR14',
      method: 'GET',
      path: `/api/orders/async-export/status/${encodeURIComponent(trackingId)}`,
    });
    const { status, urls } = ExportStatus.parse(await response.json());
    if (status === 'COMPLETED') return urls ?? [];
    if (status === 'FAILED' || status === 'CANCELED')
      throw new OrderExportError(
        `MMP order export ${trackingId} ended ${status}: request a new one`,
        trackingId,
        status,
      );
    options.onProgress?.({ stage: 'pending', trackingId, polls });
    if (Date.now() + interval > giveUpAt)
      throw new OrderExportError(
        `MMP order export ${trackingId} is still ${status} after ${polls} polls`,
        trackingId,
        status,
      );
    await sleep(interval);
  }
}

async function download(
  url: string,
  options: OrderExportOptions,
): Promise<Pick<OrderExportPage, 'orders' | 'unreadable'>> {
  const local = underBase(url, options.baseUrl);
  const response = local
    ? await options.transport({ operation: 'OR15', method: 'GET', ...local })
    : await options.send({ method: 'GET', url, operation: 'MMP OR15', repeatable: true });
  const page: Pick<OrderExportPage, 'orders' | 'unreadable'> = { orders: [], unreadable: [] };
  for (const item of ExportFile.parse(await response.json()).orders) {
    const order = MmpImportedOrderSchema.safeParse(item);
    if (order.success) {
      page.orders.push(order.data);
    } else {
      const orderId = z.object({ order_id: z.string() }).safeParse(item).data?.order_id;
      const reason = order.error.issues.map((issue) => `${issue.path.join('.') || '/'}: ${issue.message}`).join('; ');
      page.unreadable.push({ ...(orderId !== undefined && { orderId }), reason });
    }
  }
  return page;
}

/** The path (relative to `baseUrl`) and query of a URL served by the marketplace itself; undefined for another host. */
function underBase(url: string, baseUrl: string): { path: string; query: Record<string, string> } | undefined {
  const target = new URL(url);
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/$/, '');
  if (target.origin !== base.origin || !target.pathname.startsWith(`${basePath}/`)) return undefined;
  return { path: target.pathname.slice(basePath.length), query: Object.fromEntries(target.searchParams) };
}
