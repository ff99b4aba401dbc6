import * as z from 'zod';
import type { SimulatorReply } from './http-server.js';
import type { MmpReturn } from './mmp-returns.js';

/** RT11's largest page, and its page size when `limit` is not given. */
const RT11_LIMIT = 100;
const DEFAULT_LIMIT = 10;
const MULTI_FILTERS = ['return_id', 'return_state', 'order_commercial_id', 'order_line_id'] as const;
const DATE_FILTERS = [
  'return_last_updated_from',
  'return_last_updated_to',
  'return_creation_date_from',
  'return_creation_date_to',
] as const;

/** What a page token carries: the whole query (RT11 ignores every other parameter when a token is given) and where the last page ended. */
const PageTokenSchema = z.object({
  filters: z.record(z.string(), z.array(z.string())),
  limit: z.number().int().min(1).max(RT11_LIMIT),
  after: z.object({ date_created: z.string(), id: z.string() }),
});
type PageToken = z.infer<typeof PageTokenSchema>;

/** A return with the documents attached to it (OR74 with `entity: {type: RETURN, id}`), as RT11 lists it. */
export type ListedReturn = MmpReturn & { documents: Array<{ id: number; type: string }> };

/**
 * RT11 over the returns of one shop: seek pages sorted by creation date then id (`limit` at most 100, an opaque
 * `page_token` replacing every other parameter, `next_page_token` while more remain); filters `return_id`,
 * `return_state`, `order_commercial_id`, `order_line_id` (each repeatable) and the date ranges
 * `return_last_updated_from`/`_to`, `return_creation_date_from`/`_to` (from included, to excluded).
 */
export function listReturns(returns: ListedReturn[], query: URLSearchParams): SimulatorReply {
  const token = query.get('page_token');
  let page: Omit<PageToken, 'after'> & { after?: PageToken['after'] };
  if (token !== null) {
    const decoded = decodeToken(token);
    if (!decoded) return badRequest('Invalid page_token');
    page = decoded;
  } else {
    const limit = query.get('limit') ?? String(DEFAULT_LIMIT);
    if (!/^\d+$/.test(limit) || Number(limit) < 1) return badRequest('The parameter limit must be a positive integer');
    if (Number(limit) > RT11_LIMIT)
      return badRequest(`The limit of ${RT11_LIMIT} is exceeded for the parameter: limit`);
    const filters: Record<string, string[]> = {};
    for (const name of [...MULTI_FILTERS, ...DATE_FILTERS]) {
      if (query.has(name)) filters[name] = query.getAll(name);
    }
    const badDate = DATE_FILTERS.find((name) => filters[name]?.some((value) => Number.isNaN(Date.parse(value))));
    if (badDate) return badRequest(`Invalid date for the parameter: ${badDate}`);
    page = { filters, limit: Number(limit) };
  }
  const matching = returns.filter((found) => matches(found, page.filters)).sort(byCreation);
  const start =
    page.after === undefined
      ? 0
      : matching.findIndex((found) => byCreation(found, page.after as PageToken['after']) > 0);
  const data = start === -1 ? [] : matching.slice(start, start + page.limit);
  const last = data.at(-1);
  const more = start !== -1 && start + page.limit < matching.length;
  return {
    status: 200,
    body: {
      data,
      ...(more &&
        last && {
          next_page_token: encodeToken({
            filters: page.filters,
            limit: page.limit,
            after: { date_created: last.date_created, id: last.id },
          }),
        }),
    },
  };
}

function matches(found: ListedReturn, filters: Record<string, string[]>): boolean {
  const among = (name: string, value: string | string[]) => {
    const wanted = filters[name];
    return (
      wanted === undefined ||
      (Array.isArray(value) ? value.some((one) => wanted.includes(one)) : wanted.includes(value))
    );
  };
  const within = (date: string, from: string, to: string) => {
    const [start] = filters[from] ?? [];
    const [end] = filters[to] ?? [];
    return (
      (start === undefined || Date.parse(date) >= Date.parse(start)) &&
      (end === undefined || Date.parse(date) < Date.parse(end))
    );
  };
  return (
    among('return_id', found.id) &&
    among('return_state', found.state) &&
    among('order_commercial_id', found.order_commercial_id) &&
    among(
      'order_line_id',
      found.return_lines.map((line) => line.order_line_id),
    ) &&
    within(found.last_updated, 'return_last_updated_from', 'return_last_updated_to') &&
    within(found.date_created, 'return_creation_date_from', 'return_creation_date_to')
  );
}

function byCreation(a: Pick<MmpReturn, 'date_created' | 'id'>, b: Pick<MmpReturn, 'date_created' | 'id'>): number {
  return Date.parse(a.date_created) - Date.parse(b.date_created) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(token: string): PageToken | undefined {
  try {
    return PageTokenSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

function badRequest(message: string): SimulatorReply {
  return { status: 400, body: { status: 400, message } };
}
