import type { SimulatorReply } from './http-server.js';
import { round, type MmpCancelation, type MmpOrder, type MmpOrderLine, type MmpTaxAmount } from './mmp-orders.js';

export type OrderTaxMode = 'TAX_EXCLUDED' | 'TAX_INCLUDED';

/** The most ids, and the largest page, OR11 takes. */
const OR11_LIMIT = 100;
/** OR11's page size when `max` is not given (the SDK's default). */
const DEFAULT_PAGE_SIZE = 10;
const DATE_FILTERS = ['start_date', 'end_date', 'start_update_date', 'end_update_date'] as const;

/**
 * OR11 over the orders of one shop: the date ranges (creation: `start_date`/`end_date`, last update:
 * `start_update_date`/`end_update_date`; start included, end excluded), `order_ids` (at most 100),
 * `order_state_codes`, `channel_codes`, sorted by creation date then order id, offset pages (`paginate`, `max` at
 * most 100, `offset`) with `total_count`, amounts in `order_tax_mode` (TAX_INCLUDED when omitted).
 */
export function listOrders(orders: MmpOrder[], query: URLSearchParams): SimulatorReply {
  const ids = commaList(query, 'order_ids');
  if (ids && ids.length > OR11_LIMIT)
    return badRequest(`The limit of ${OR11_LIMIT} is exceeded for the parameter: order_ids`);
  const paginate = query.get('paginate') !== 'false';
  const max = integer(query, 'max', DEFAULT_PAGE_SIZE);
  const offset = integer(query, 'offset', 0);
  if (max === undefined || max < 1) return badRequest('The parameter max must be a positive integer');
  if (max > OR11_LIMIT) return badRequest(`The limit of ${OR11_LIMIT} is exceeded for the parameter: max`);
  if (offset === undefined || offset < 0) return badRequest('The parameter offset must be a positive integer or zero');
  const taxMode = query.get('order_tax_mode') ?? 'TAX_INCLUDED';
  if (taxMode !== 'TAX_EXCLUDED' && taxMode !== 'TAX_INCLUDED')
    return badRequest(`Invalid value ${taxMode} for the parameter: order_tax_mode`);
  const dates: Partial<Record<(typeof DATE_FILTERS)[number], number>> = {};
  for (const name of DATE_FILTERS) {
    const value = query.get(name);
    if (value === null) continue;
    const parsed = Date.parse(value);
    if (Number.isNaN(parsed)) return badRequest(`Invalid date ${value} for the parameter: ${name}`);
    dates[name] = parsed;
  }
  const found = selectOrders(orders, {
    ids,
    states: commaList(query, 'order_state_codes'),
    channels: commaList(query, 'channel_codes'),
    created: [dates.start_date, dates.end_date],
    updated: [dates.start_update_date, dates.end_update_date],
  });
  const page = paginate ? found.slice(offset, offset + max) : found;
  return { status: 200, body: { orders: page.map((order) => viewOrder(order, taxMode)), total_count: found.length } };
}

/** Which orders OR11 and OR13 pick; a date range is [start included, end excluded), a bound left out is open. */
export interface OrderSelection {
  ids?: string[];
  states?: string[];
  channels?: string[];
  onlyNullChannel?: boolean;
  created?: [number | undefined, number | undefined];
  updated?: [number | undefined, number | undefined];
}

/** The orders selected, sorted by creation date then order id (OR11's only sort, and OR13's). */
export function selectOrders(orders: MmpOrder[], selection: OrderSelection): MmpOrder[] {
  const {
    ids,
    states,
    channels,
    onlyNullChannel = false,
    created = [undefined, undefined],
    updated = [undefined, undefined],
  } = selection;
  const within = (date: string, [start, end]: [number | undefined, number | undefined]) =>
    (start === undefined || Date.parse(date) >= start) && (end === undefined || Date.parse(date) < end);
  return orders
    .filter(
      (order) =>
        (ids === undefined || ids.includes(order.order_id)) &&
        (states === undefined || states.includes(order.order_state)) &&
        (onlyNullChannel
          ? order.channel === undefined
          : channels === undefined || (order.channel !== undefined && channels.includes(order.channel.code))) &&
        within(order.created_date, created) &&
        within(order.last_updated_date, updated),
    )
    .sort((a, b) => compare(a.created_date, b.created_date) || compare(a.order_id, b.order_id));
}

/**
 * An order as OR11 (and OR15's files) show it: the shipping and billing addresses are null until the shop accepts
 * the order (and stay null if it refuses it); in TAX_INCLUDED mode every price includes its taxes.
 */
export function viewOrder(order: MmpOrder, taxMode: OrderTaxMode): MmpOrder {
  const view = structuredClone(order);
  if (order.acceptance_decision_date === undefined || order.order_state === 'REFUSED') {
    view.customer.billing_address = null;
    view.customer.shipping_address = null;
  }
  view.order_tax_mode = taxMode;
  if (taxMode === 'TAX_EXCLUDED') return view;
  view.order_lines = view.order_lines.map(withTaxes);
  const sum = (pick: (line: MmpOrderLine) => number) =>
    round(view.order_lines.reduce((total, line) => total + pick(line), 0));
  view.price = sum((line) => line.price);
  view.shipping_price = sum((line) => line.shipping_price);
  view.total_price = sum((line) => line.total_price);
  return view;
}

function withTaxes(line: MmpOrderLine): MmpOrderLine {
  const price = round(line.price + taxTotal(line.taxes));
  const shippingPrice = round(line.shipping_price + taxTotal(line.shipping_taxes));
  const adjusted = <T extends MmpCancelation>(adjustment: T): T => ({
    ...adjustment,
    amount: round(adjustment.amount + taxTotal(adjustment.taxes)),
    shipping_amount: round(adjustment.shipping_amount + taxTotal(adjustment.shipping_taxes)),
  });
  return {
    ...line,
    price_unit: round(price / line.quantity),
    price,
    shipping_price: shippingPrice,
    total_price: round(price + shippingPrice),
    cancelations: line.cancelations.map(adjusted),
    refunds: line.refunds.map(adjusted),
  };
}

/** Dates compare as text: the simulator writes them all with `toISOString()`. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const taxTotal = (taxes: MmpTaxAmount[]) => taxes.reduce((total, tax) => total + tax.amount, 0);

function commaList(query: URLSearchParams, name: string): string[] | undefined {
  const value = query.get(name);
  return value === null ? undefined : value.split(',').filter(Boolean);
}

function integer(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const value = query.get(name);
  if (value === null) return fallback;
  return /^-?\d+$/.test(value) ? Number(value) : undefined;
}

function badRequest(message: string): SimulatorReply {
  return { status: 400, body: { status: 400, message } };
}
