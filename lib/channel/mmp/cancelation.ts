import type { Intent } from '../../ledger/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Adjustment } from '../port.js';
import {
  adjustmentIds,
  adjustmentLines,
  assertOrderCurrency,
  lineIdsOf,
  reasonCodesFor,
  type ReasonLookup,
} from './adjustments.js';
import type { MmpClient, MmpOrder } from './client.js';
import { carryOut, type Step } from './course.js';
import {
  BEFORE_SHIPPING,
  CLOSED_LINE,
  linesNamed,
  orderInWrongState,
  quantitiesByLine,
  readOrder,
} from './order-state.js';

type CancelingClient = Pick<MmpClient, 'store' | 'getOrder' | 'cancelOrder' | 'cancelLines'>;

/**
 * CANCEL on MMP: OR29 when the event cancels every open line in full, otherwise OR30 with Connect's amounts,
 * taxes and the operator's reason codes. The order is read first: the split, the currency and the lines'
 * cancelation ids need it. OR30 is not idempotent: those ids are remembered before it, and a redelivery that finds
 * a new one confirms instead of canceling twice — checked before the split is chosen, since a partial cancelation
 * applied may make the rest look like the whole order (course.ts). Orders are canceled while SHIPPING (accepted,
 * not shipped); before that the action waits, after it is refused.
 */
export const cancelOrder = async (
  mmp: CancelingClient,
  cancelation: Adjustment,
  intent: Intent,
  reasons: ReasonLookup,
) => {
  const order = await readOrder(mmp, cancelation.channelOrderId, 'OR11');
  const lineIds = lineIdsOf(cancelation);
  linesNamed(order, lineIds);
  const step = cancelsWholeOrder(order, cancelation)
    ? wholeOrderStep(mmp, order.order_id)
    : linesStep(mmp, order, lineIds, await cancelationLines(order, cancelation, reasons));
  await carryOut((operation) => readOrder(mmp, order.order_id, operation), [step], {
    known: order,
    reconcile: { intent, operation: 'OR30', idsNow: (found) => adjustmentIds(found, lineIds, 'cancelations') },
  });
};

const cancelationLines = async (order: MmpOrder, cancelation: Adjustment, reasons: ReasonLookup) => {
  assertOrderCurrency(order, cancelation);
  return adjustmentLines(cancelation, await reasonCodesFor(reasons, 'CANCELATION', cancelation));
};

/** Every line still open (not canceled or refused) is canceled in full: OR29, which takes no amounts. */
export const cancelsWholeOrder = (order: MmpOrder, cancelation: Adjustment): boolean => {
  const canceled = quantitiesByLine(cancelation.lines);
  return order.order_lines
    .filter((line) => !CLOSED_LINE.has(line.order_line_state))
    .every((line) => (canceled.get(line.order_line_id) ?? 0) >= line.quantity);
};

const wholeOrderStep = (mmp: CancelingClient, orderId: string): Step<MmpOrder> => ({
  operation: 'OR29',
  done: (order) => order.order_state === 'CANCELED',
  check: assertOrderCancelable,
  send: () => mmp.cancelOrder(orderId),
  refused: (refusal) =>
    new ActionFailure(
      ActionErrorCode.UNEXPECTED,
      `MMP OR29 refused to cancel order ${orderId} in state SHIPPING (${refusal.description})`,
    ),
});

const linesStep = (
  mmp: CancelingClient,
  order: MmpOrder,
  lineIds: string[],
  lines: ReturnType<typeof adjustmentLines>,
): Step<MmpOrder> => ({
  operation: 'OR30',
  done: () => false,
  check: (found) => assertLinesCancelable(found, lineIds),
  send: () => mmp.cancelLines({ order_tax_mode: 'TAX_EXCLUDED', cancelations: lines }),
  refused: (refusal) =>
    new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `MMP OR30 refused the cancelation of lines ${lineIds.join(', ')} of order ${order.order_id} (${refusal.description}): amounts, taxes or reason codes not accepted`,
    ),
});

const assertOrderCancelable = (order: MmpOrder) => {
  if (order.order_state === 'SHIPPING') return;
  throw orderInWrongState(
    order,
    BEFORE_SHIPPING.has(order.order_state) ? ', not yet SHIPPING' : ' and cannot be canceled',
  );
};

const assertLinesCancelable = (order: MmpOrder, lineIds: string[]) => {
  assertOrderCancelable(order);
  const settled = linesNamed(order, lineIds).filter((line) => line.order_line_state !== 'SHIPPING');
  if (settled.length > 0) {
    const states = settled.map((line) => `${line.order_line_id} is ${line.order_line_state}`).join(', ');
    throw new ActionFailure(
      ActionErrorCode.ORDER_IN_WRONG_STATE,
      `Lines of order ${order.order_id} cannot be canceled on the marketplace: ${states}`,
    );
  }
};
