import * as z from 'zod';
import { MMP_LINE_STATES, MMP_ORDER_STATES, updateStamp, type MmpOrder, type MmpOrderState } from './mmp-orders.js';

/** MMP's usual error body; `code` carries OR21's documented error codes. */
export interface MmpError {
  status: number;
  message: string;
  code?: string;
}

/** SH21: the carriers registered on the simulated marketplace, sorted by label as MMP sorts them. */
export const MMP_CARRIERS = [
  {
    code: 'COLISSIMO',
    label: 'Colissimo',
    standard_code: 'COLISSIMO',
    tracking_url: 'https://www.laposte.fr/outils/suivre-vos-envois?code={trackingId}',
  },
  {
    code: 'DHL',
    label: 'DHL Express',
    standard_code: 'DHL',
    tracking_url: 'https://www.dhl.com/fr-fr/home/tracking.html?tracking-id={trackingId}',
  },
  {
    code: 'UPS',
    label: 'UPS',
    standard_code: 'UPS',
    tracking_url: 'https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums={trackingId}',
  },
] as const;

/** The OR21 fields the simulator uses, read once the spec validator has accepted the body. */
export const AcceptanceDecisionsSchema = z.object({
  order_lines: z.array(z.object({ id: z.string(), accepted: z.boolean() })),
});
export type AcceptanceDecisions = z.infer<typeof AcceptanceDecisionsSchema>;

/** The OR23 fields the simulator uses, read once the spec validator has accepted the body. */
export const TrackingUpdateSchema = z.object({
  carrier_code: z.string().optional(),
  carrier_name: z.string().optional(),
  carrier_url: z.string().optional(),
  tracking_number: z.string().optional(),
});
export type TrackingUpdate = z.infer<typeof TrackingUpdateSchema>;

/**
 * OR21: accepted lines go to SHIPPING (the simulator skips the debit), refused ones to REFUSED. A shop
 * without partial acceptance must accept every line or refuse every line.
 */
export function acceptOrder(
  order: MmpOrder,
  { order_lines: decisions }: AcceptanceDecisions,
  { partialAcceptance }: { partialAcceptance: boolean } = { partialAcceptance: true },
): MmpError | undefined {
  const ids = decisions.map((decision) => decision.id);
  const lineIds = new Set(order.order_lines.map((line) => line.order_line_id));
  if (order.order_state !== 'WAITING_ACCEPTANCE') {
    return or21Error('ORDER_INVALID_STATE', `Order ${order.order_id} is ${order.order_state}, not WAITING_ACCEPTANCE`);
  }
  if (new Set(ids).size !== ids.length) return or21Error('ORDER_LINE_DUPLICATE_ID', 'Duplicate order line ids');
  const unknown = ids.find((id) => !lineIds.has(id));
  if (unknown !== undefined)
    return or21Error('ORDER_LINE_NOT_FOUND', `Order line ${unknown} is not in order ${order.order_id}`);
  if (ids.length !== lineIds.size) {
    return or21Error(
      'ORDER_LINE_ACCEPTANCE_DECISION_MISSING',
      `Every line of order ${order.order_id} needs a decision`,
    );
  }
  if (!partialAcceptance && new Set(decisions.map((decision) => decision.accepted)).size > 1) {
    return or21Error(
      'ORDER_PARTIAL_ACCEPTANCE_DISABLED',
      `Partial acceptance is disabled: accept or refuse every line of order ${order.order_id}`,
    );
  }
  for (const line of order.order_lines) {
    line.order_line_state = decisions.find((decision) => decision.id === line.order_line_id)?.accepted
      ? 'SHIPPING'
      : 'REFUSED';
  }
  const accepted = decisions.some((decision) => decision.accepted);
  const now = moveOrder(order, accepted ? 'SHIPPING' : 'REFUSED');
  order.acceptance_decision_date = now;
  if (accepted) order.customer_debited_date = now;
  return undefined;
}

/** OR23: a registered carrier by `carrier_code`, or an unregistered one by `carrier_name`. */
export function updateTracking(order: MmpOrder, update: TrackingUpdate): MmpError | undefined {
  if (order.order_state !== 'SHIPPING' && order.order_state !== 'SHIPPED') {
    return {
      status: 400,
      message: `Order ${order.order_id} is ${order.order_state}; tracking needs SHIPPING or SHIPPED`,
    };
  }
  const tracking = update.tracking_number;
  if (update.carrier_code !== undefined) {
    const carrier = MMP_CARRIERS.find((candidate) => candidate.code === update.carrier_code);
    if (!carrier) return { status: 400, message: `Carrier code ${update.carrier_code} is not registered` };
    if (tracking === undefined) return { status: 400, message: `Carrier ${carrier.code} needs a tracking_number` };
    Object.assign(order, {
      shipping_carrier_code: carrier.code,
      shipping_carrier_standard_code: carrier.standard_code,
      shipping_company: carrier.label,
      shipping_tracking: tracking,
      shipping_tracking_url: carrier.tracking_url.replace('{trackingId}', encodeURIComponent(tracking)),
    });
  } else if (update.carrier_name !== undefined) {
    delete order.shipping_carrier_code;
    delete order.shipping_carrier_standard_code;
    delete order.shipping_tracking_url;
    order.shipping_company = update.carrier_name;
    if (tracking !== undefined) order.shipping_tracking = tracking;
    if (update.carrier_url !== undefined) order.shipping_tracking_url = update.carrier_url;
  } else {
    return {
      status: 400,
      message: 'carrier_code (registered carrier) or carrier_name (unregistered carrier) is required',
    };
  }
  order.last_updated_date = updateStamp(order.last_updated_date);
  return undefined;
}

/** OR24: the whole order, which must be SHIPPING, becomes SHIPPED. */
export function shipOrder(order: MmpOrder): MmpError | undefined {
  if (order.order_state !== 'SHIPPING') {
    return { status: 400, message: `Order ${order.order_id} is ${order.order_state}, not SHIPPING` };
  }
  const now = moveOrder(order, 'SHIPPED');
  for (const line of order.order_lines.filter((candidate) => candidate.order_line_state === 'SHIPPING')) {
    line.order_line_state = 'SHIPPED';
    line.shipped_date = now;
  }
  return undefined;
}

/** A change of state, which moves the order's (and its lines') `last_updated_date` forward. */
export function moveOrder(order: MmpOrder, state: MmpOrderState): string {
  const now = updateStamp(order.last_updated_date);
  order.order_state = state;
  order.can_cancel = false;
  order.can_shop_ship = state === 'SHIPPING';
  order.last_updated_date = now;
  for (const line of order.order_lines) line.last_updated_date = now;
  return now;
}

function or21Error(code: string, message: string): MmpError {
  return { status: 400, message, code };
}

/** A change made on the marketplace outside the seller API (the operator, the customer, the payment...). */
export const MmpOrderChangeSchema = z
  .object({
    /** Every line still open (not CANCELED or REFUSED) follows the order. */
    order_state: z.enum(MMP_ORDER_STATES),
    shipping_carrier_code: z.string(),
    shipping_company: z.string(),
    shipping_tracking: z.string(),
    shipping_tracking_url: z.string(),
    has_incident: z.boolean(),
    has_customer_message: z.boolean(),
    /** Lines changing on their own (an incident opened, a line refunded), after the order's state; an open incident sets `has_incident`. */
    order_lines: z.array(z.object({ order_line_id: z.string().min(1), order_line_state: z.enum(MMP_LINE_STATES) })),
  })
  .partial();
export type MmpOrderChange = z.infer<typeof MmpOrderChangeSchema>;

const SHIPPED_STATES: readonly MmpOrderState[] = ['SHIPPED', 'TO_COLLECT', 'RECEIVED', 'CLOSED'];

/**
 * Applies a change to an order; its `last_updated_date` moves forward even when nothing differs. A line the order
 * does not have refuses the whole change: the error message, undefined once applied.
 */
export function changeOrder(
  order: MmpOrder,
  { order_state: state, order_lines: lineChanges = [], ...fields }: MmpOrderChange,
): string | undefined {
  const unknown = lineChanges.find(
    (change) => !order.order_lines.some((line) => line.order_line_id === change.order_line_id),
  );
  if (unknown) return `Order line ${unknown.order_line_id} is not in order ${order.order_id}`;
  Object.assign(order, fields);
  if (state === undefined || state === order.order_state) {
    order.last_updated_date = updateStamp(order.last_updated_date);
    for (const line of order.order_lines) line.last_updated_date = order.last_updated_date;
  } else {
    const now = moveOrder(order, state);
    if (state !== 'WAITING_ACCEPTANCE' && state !== 'STAGING') order.acceptance_decision_date ??= now;
    for (const line of order.order_lines.filter(
      (candidate) => !['CANCELED', 'REFUSED'].includes(candidate.order_line_state),
    )) {
      line.order_line_state = state;
      if (SHIPPED_STATES.includes(state)) line.shipped_date ??= now;
    }
  }
  for (const change of lineChanges) {
    const line = order.order_lines.find((candidate) => candidate.order_line_id === change.order_line_id);
    if (line) line.order_line_state = change.order_line_state;
  }
  if (fields.has_incident === undefined && order.order_lines.some((line) => line.order_line_state === 'INCIDENT_OPEN'))
    order.has_incident = true;
  return undefined;
}
