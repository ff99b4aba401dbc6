import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { SimulatorReply } from './http-server.js';
import { selectOrders, viewOrder } from './mmp-order-query.js';
import type { MmpOrder } from './mmp-orders.js';

/** How an export the simulator is told to spoil ends, instead of COMPLETED. */
export const ExportFailureSchema = z.enum(['FAILED', 'CANCELED']);
export type ExportFailure = z.infer<typeof ExportFailureSchema>;

/** Where OR13 keeps what it needs of its body, once the spec validator has accepted it. */
const ExportRequestSchema = z.object({
  start_date: z.string().optional(),
  end_date: z.string().optional(),
  start_update_date: z.string().optional(),
  end_update_date: z.string().optional(),
  order_state_codes: z.array(z.string()).optional(),
  channel_codes: z.array(z.string()).optional(),
  only_null_channel: z.boolean().optional(),
  order_tax_mode: z.enum(['TAX_EXCLUDED', 'TAX_INCLUDED']).default('TAX_INCLUDED'),
  items_per_chunk: z.number().int().positive().default(1_000_000),
});

interface OrderExport {
  trackingId: string;
  shopId: string | undefined;
  createdAt: number;
  readyAt: number;
  outcome: 'COMPLETED' | ExportFailure;
  /** The files, `{orders: [...]}` each, as served once COMPLETED. */
  files: string[];
}

const YEAR_MS = 365 * 86_400_000;

/**
 * OR13/OR14/OR15 of the simulated MMP. OR13 needs a date range (creation or last update, both bounds, at most a
 * year) and refuses a second export while one of the shop's is PENDING; the export stays PENDING for `delayMs`,
 * then is COMPLETED with one URL per file (chunked by `items_per_chunk`; `megabytes_per_chunk` is checked against
 * the spec, not applied), unless told to end FAILED or CANCELED. The orders are the ones matching when OR13 was called, shown as OR11 shows them.
 */
export class OrderExportBook {
  private readonly exports = new Map<string, OrderExport>();
  private failures: ExportFailure[] = [];

  /** `fileMaxOrders` cuts files smaller than `items_per_chunk` (at least 10,000) can, so tests see several files. */
  constructor(private readonly options: { baseUrl: () => string; delayMs: number; fileMaxOrders?: number }) {}

  /** OR13 for `shopId` over its orders; `schemaErrors` are the body's breaches of `OR13_Request`. */
  create(
    shopId: string | undefined,
    orders: MmpOrder[],
    body: unknown,
    schemaErrors: string[],
    now = Date.now(),
  ): SimulatorReply {
    if (schemaErrors.length > 0) return badRequest(schemaErrors.join('; '));
    const request = ExportRequestSchema.parse(body ?? {});
    const created = range(request.start_date, request.end_date, 'start_date', 'end_date');
    const updated = range(request.start_update_date, request.end_update_date, 'start_update_date', 'end_update_date');
    if (typeof created === 'string') return badRequest(created);
    if (typeof updated === 'string') return badRequest(updated);
    if (!created && !updated)
      return badRequest(
        'At least one date range is required: start_date and end_date, or start_update_date and end_update_date',
      );
    const pending = [...this.exports.values()].find((found) => found.shopId === shopId && now < found.readyAt);
    if (pending) return badRequest(`An export is already in progress for this shop (${pending.trackingId})`);
    const selected = selectOrders(orders, {
      states: request.order_state_codes,
      channels: request.channel_codes,
      onlyNullChannel: request.only_null_channel,
      created,
      updated,
    }).map((order) => viewOrder(order, request.order_tax_mode));
    const trackingId = randomUUID();
    this.exports.set(trackingId, {
      trackingId,
      shopId,
      createdAt: now,
      readyAt: now + this.options.delayMs,
      outcome: this.failures.shift() ?? 'COMPLETED',
      files: chunks(selected, Math.min(request.items_per_chunk, this.options.fileMaxOrders ?? Infinity)),
    });
    return { status: 200, body: { tracking_id: trackingId } };
  }

  /** OR14: PENDING until ready, then how it ended, with the file URLs when COMPLETED. */
  status(shopId: string | undefined, trackingId: string, now = Date.now()): SimulatorReply {
    const found = this.exports.get(trackingId);
    if (!found || found.shopId !== shopId) return notFound(`Export ${trackingId} not found`);
    if (now < found.readyAt)
      return { status: 200, body: { status: 'PENDING', last_updated: new Date(found.createdAt).toISOString() } };
    const urls =
      found.outcome === 'COMPLETED'
        ? found.files.map((_, index) => `${this.options.baseUrl()}/api/${trackingId}?file=chunk-${index + 1}`)
        : [];
    return { status: 200, body: { status: found.outcome, last_updated: new Date(found.readyAt).toISOString(), urls } };
  }

  /** OR15: one file of a COMPLETED export. */
  file(shopId: string | undefined, trackingId: string, fileName: string | null, now = Date.now()): SimulatorReply {
    const found = this.exports.get(trackingId);
    const index = Number(/^chunk-(\d+)$/.exec(fileName ?? '')?.[1] ?? 0) - 1;
    const file =
      found && found.shopId === shopId && found.outcome === 'COMPLETED' && now >= found.readyAt
        ? found.files[index]
        : undefined;
    if (file === undefined) return notFound(`Export file ${trackingId} ${fileName ?? ''} not found`);
    return { status: 200, body: JSON.parse(file) as unknown };
  }

  /** The next exports created end this way, one each, in order. */
  failNext(failure: ExportFailure): void {
    this.failures.push(failure);
  }

  clear(): void {
    this.exports.clear();
    this.failures = [];
  }
}

/** Both bounds or none, in order, at most a year apart; an error message otherwise. */
function range(
  start: string | undefined,
  end: string | undefined,
  startName: string,
  endName: string,
): [number, number] | undefined | string {
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) return `${startName} must be used with ${endName}`;
  const [from, to] = [Date.parse(start), Date.parse(end)];
  if (to < from) return `${endName} must be after ${startName}`;
  if (to - from > YEAR_MS) return `The range between ${startName} and ${endName} can't be greater than a year`;
  return [from, to];
}

/** `{orders: [...]}` files of at most `items` orders each. */
function chunks(orders: MmpOrder[], items: number): string[] {
  const files: string[] = [];
  for (let start = 0; start < orders.length; start += items) {
    files.push(JSON.stringify({ orders: orders.slice(start, start + items) }));
  }
  return files;
}

function badRequest(message: string): SimulatorReply {
  return { status: 400, body: { status: 400, message } };
}

function notFound(message: string): SimulatorReply {
  return { status: 404, body: { status: 404, message } };
}
