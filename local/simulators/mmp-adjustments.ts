import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import {
  round,
  type MmpCancelation,
  type MmpLineTax,
  type MmpOrder,
  type MmpOrderLine,
  type MmpRefund,
  type MmpTaxAmount,
} from './mmp-orders.js';
import { shopReasonCodes } from './mmp-reasons.js';
import { moveOrder, type MmpError } from './mmp-workflow.js';

/** The shop's reason codes (RE01, mmp-reasons.ts): OR30 and OR28 refuse any other. */
const REASON_CODES = { cancelation: shopReasonCodes('CANCELATION'), refund: shopReasonCodes('REFUND') };

const taxes = z.array(z.object({ code: z.string(), amount: z.number() })).default([]);
const AdjustmentLineSchema = z.object({
  order_line_id: z.string(),
  quantity: z.number().int().default(0),
  amount: z.number(),
  shipping_amount: z.number(),
  reason_code: z.string(),
  currency_iso_code: z.string().optional(),
  taxes,
  shipping_taxes: taxes,
});
type AdjustmentLine = z.infer<typeof AdjustmentLineSchema>;

/** The OR30 and OR28 fields the simulator uses, read once the spec validator has accepted the body. */
export const CancelationsSchema = z.object({
  cancelations: z.array(AdjustmentLineSchema),
  order_tax_mode: z.string().optional(),
});
export const RefundsSchema = z.object({
  refunds: z.array(AdjustmentLineSchema),
  order_tax_mode: z.string().optional(),
});

/** An order line of the shop, with its order. */
export interface LineOfOrder {
  order: MmpOrder;
  line: MmpOrderLine;
}

type FindLine = (orderLineId: string) => LineOfOrder | undefined;

let adjustmentSequence = 1000;
const nextId = () => String((adjustmentSequence += 1));

/** The quantity of a line not canceled yet (OR11 keeps the ordered quantity and lists the cancelations). */
export const uncanceledQuantity = (line: MmpOrderLine) =>
  line.quantity - line.cancelations.reduce((sum, canceled) => sum + canceled.quantity, 0);

/** OR29: every open line of a SHIPPING order is canceled in full, and the order with it. */
export function cancelWholeOrder(order: MmpOrder): MmpError | undefined {
  if (order.order_state !== 'SHIPPING')
    return invalidState(`Order ${order.order_id} is ${order.order_state}, not SHIPPING`);
  for (const line of order.order_lines.filter((candidate) => candidate.order_line_state === 'SHIPPING')) {
    const quantity = uncanceledQuantity(line);
    line.cancelations.push(
      cancelationOf(
        {
          quantity,
          amount: round(line.price_unit * quantity),
          shipping_amount: line.shipping_price,
          taxes: [],
          shipping_taxes: [],
        },
        line,
      ),
    );
    line.order_line_state = 'CANCELED';
  }
  moveOrder(order, 'CANCELED');
  return undefined;
}

/**
 * OR30: all or nothing. Each line must be SHIPPING in a SHIPPING order, with the quantity left, a known
 * reason code and the order's currency. A line canceled down to nothing is CANCELED, and so is an order
 * with no line left.
 */
export function cancelLines(
  findLine: FindLine,
  { cancelations }: z.infer<typeof CancelationsSchema>,
): { error?: MmpError; created: Array<[AdjustmentLine, MmpCancelation]> } {
  const error = firstError(cancelations, findLine, REASON_CODES.cancelation, ({ order, line }, request) => {
    if (order.order_state !== 'SHIPPING' || line.order_line_state !== 'SHIPPING') {
      return invalidState(
        `Order line ${line.order_line_id} is ${line.order_line_state} in an order ${order.order_state}: only SHIPPING lines can be canceled`,
      );
    }
    if (request.quantity > uncanceledQuantity(line))
      return {
        status: 400,
        message: `Order line ${line.order_line_id} has only ${uncanceledQuantity(line)} left to cancel`,
      };
    return undefined;
  });
  if (error) return { error, created: [] };
  const created = cancelations.map((request): [AdjustmentLine, MmpCancelation] => {
    const { order, line } = findLine(request.order_line_id) as LineOfOrder;
    const cancelation = cancelationOf(request, line);
    line.cancelations.push(cancelation);
    if (uncanceledQuantity(line) === 0) line.order_line_state = 'CANCELED';
    if (order.order_lines.every((candidate) => ['CANCELED', 'REFUSED'].includes(candidate.order_line_state)))
      moveOrder(order, 'CANCELED');
    return [request, cancelation];
  });
  return { created };
}

/** OR28: all or nothing. Each line must be shipped, with a known reason code, and not refunded beyond its price. */
export function refundLines(
  findLine: FindLine,
  { refunds }: z.infer<typeof RefundsSchema>,
): { error?: MmpError; created: Array<[AdjustmentLine, MmpRefund]> } {
  const error = firstError(refunds, findLine, REASON_CODES.refund, ({ line }, request) => {
    if (!['SHIPPED', 'TO_COLLECT', 'RECEIVED', 'CLOSED'].includes(line.order_line_state)) {
      return invalidState(
        `Order line ${line.order_line_id} is ${line.order_line_state}: only shipped lines can be refunded`,
      );
    }
    const refunded = line.refunds.reduce((sum, refund) => sum + refund.amount, 0);
    if (request.amount > round(line.price - refunded))
      return {
        status: 400,
        message: `Order line ${line.order_line_id} has ${round(line.price - refunded)} left to refund`,
      };
    return undefined;
  });
  if (error) return { error, created: [] };
  const orderRefundId = randomUUID();
  const created = refunds.map((request): [AdjustmentLine, MmpRefund] => {
    const { line } = findLine(request.order_line_id) as LineOfOrder;
    const refund: MmpRefund = {
      ...cancelationOf(request, line),
      reason_code: request.reason_code,
      order_refund_id: orderRefundId,
      commission_tax_amount: 0,
      state: 'WAITING_REFUND',
      refund_state: 'WAITING_REFUND',
    };
    line.refunds.push(refund);
    line.can_refund = line.refunds.reduce((sum, done) => sum + done.amount, 0) < line.price;
    line.last_updated_date = refund.created_date;
    return [request, refund];
  });
  return { created };
}

function firstError(
  requests: AdjustmentLine[],
  findLine: FindLine,
  reasonCodes: readonly string[],
  check: (found: LineOfOrder, request: AdjustmentLine) => MmpError | undefined,
): MmpError | undefined {
  for (const request of requests) {
    const found = findLine(request.order_line_id);
    if (!found)
      return { status: 400, code: 'ORDER_LINE_NOT_FOUND', message: `Order line ${request.order_line_id} not found` };
    if (!reasonCodes.includes(request.reason_code))
      return { status: 400, message: `Reason code ${request.reason_code} does not exist` };
    if (request.currency_iso_code !== undefined && request.currency_iso_code !== found.order.currency_iso_code) {
      return { status: 400, message: `Currency ${request.currency_iso_code} is not the shop's currency` };
    }
    const error = check(found, request);
    if (error) return error;
  }
  return undefined;
}

/**
 * A cancelation (or the base of a refund) on `line`. Taxes not given are computed in proportion to the amount, as
 * MMP does for taxes whose rule is PROPORTIONAL_TO_AMOUNT.
 */
function cancelationOf(
  request: Pick<AdjustmentLine, 'quantity' | 'amount' | 'shipping_amount' | 'taxes' | 'shipping_taxes'> & {
    reason_code?: string;
  },
  line: MmpOrderLine,
): MmpCancelation {
  return {
    id: nextId(),
    quantity: request.quantity,
    amount: request.amount,
    shipping_amount: request.shipping_amount,
    ...(request.reason_code !== undefined && { reason_code: request.reason_code }),
    taxes: request.taxes.length > 0 ? request.taxes : proportionalTaxes(line.taxes, request.amount, line.price),
    shipping_taxes:
      request.shipping_taxes.length > 0
        ? request.shipping_taxes
        : proportionalTaxes(line.shipping_taxes, request.shipping_amount, line.shipping_price),
    commission_amount: 0,
    commission_taxes: [],
    commission_total_amount: 0,
    created_date: new Date().toISOString(),
  };
}

function invalidState(message: string): MmpError {
  return { status: 400, code: 'ORDER_INVALID_STATE', message };
}

function proportionalTaxes(taxes: MmpLineTax[], amount: number, base: number): MmpTaxAmount[] {
  if (base <= 0 || amount <= 0) return [];
  return taxes.map((tax) => ({ code: tax.code, amount: round((tax.amount * amount) / base), rate: tax.rate }));
}
