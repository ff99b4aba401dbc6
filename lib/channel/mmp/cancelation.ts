import type { Intent } from '../../ledger/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Adjustment } from '../port.js';
import { adjustmentIds, adjustmentLines, lineIdsOf, reasonCodesFor, type ReasonLookup } from './adjustments.js';
import type { MmpClient, MmpOrder } from './client.js';
import { BEFORE_SHIPPING, CLOSED_LINE, linesNamed, orderInWrongState, quantitiesByLine, readOrder } from './order-state.js';
import { appliedEarlier, rememberBefore } from './reconcile.js';
import { describeRefusal, isRefusal } from './refusal.js';

type CancelingClient = Pick<MmpClient, 'store' | 'getOrder' | 'cancelOrder' | 'cancelLines'>;

/**
 * CANCEL on MMP: OR29 when the event cancels every open line in full, otherwise OR30 with Connect's amounts,
 * taxes and the operator's reason codes. OR30 is not idempotent: the lines' cancelation ids are remembered before it,
 * and a redelivery that finds a new one confirms instead of canceling twice (reconcile.ts). Orders are
 * canceled while SHIPPING (accepted, not shipped); before that the action waits, after it is refused.
 */
export const cancelOrder = async (mmp: CancelingClient, cancelation: Adjustment, intent: Intent, reasons: ReasonLookup) => {
  const order = await readOrder(mmp, cancelation.channelOrderId, 'OR11');
  const lineIds = lineIdsOf(cancelation);
  linesNamed(order, lineIds);
  const idsBefore = adjustmentIds(order, lineIds, 'cancelations');
  if (await appliedEarlier(intent, 'OR30', idsBefore)) return;
  if (cancelsWholeOrder(order, cancelation)) return cancelWholeOrder(mmp, order);

  const body = { order_tax_mode: 'TAX_EXCLUDED' as const, cancelations: adjustmentLines(order, cancelation, await reasonCodesFor(reasons, 'CANCELATION', cancelation)) };
  assertLinesCancelable(order, lineIds);
  await rememberBefore(intent, 'OR30', idsBefore);
  try {
    await mmp.cancelLines(body);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    assertLinesCancelable(await readOrder(mmp, order.order_id, 'OR30'), lineIds);
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `MMP OR30 refused the cancelation of lines ${lineIds.join(', ')} of order ${order.order_id} (${describeRefusal(error)}): amounts, taxes or reason codes not accepted`,
    );
  }
};

/** Every line still open (not canceled or refused) is canceled in full: OR29, which takes no amounts. */
export const cancelsWholeOrder = (order: MmpOrder, cancelation: Adjustment): boolean => {
  const canceled = quantitiesByLine(cancelation.lines);
  return order.order_lines
    .filter((line) => !CLOSED_LINE.has(line.order_line_state))
    .every((line) => (canceled.get(line.order_line_id) ?? 0) >= line.quantity);
};

const cancelWholeOrder = async (mmp: CancelingClient, order: MmpOrder): Promise<void> => {
  if (order.order_state === 'CANCELED') return;
  assertOrderCancelable(order);
  try {
    await mmp.cancelOrder(order.order_id);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const after = await readOrder(mmp, order.order_id, 'OR29');
    if (after.order_state === 'CANCELED') return;
    assertOrderCancelable(after);
    throw new ActionFailure(
      ActionErrorCode.UNEXPECTED,
      `MMP OR29 refused to cancel order ${order.order_id} in state SHIPPING (${describeRefusal(error)})`,
    );
  }
};

const assertOrderCancelable = (order: MmpOrder) => {
  if (order.order_state === 'SHIPPING') return;
  throw orderInWrongState(order, BEFORE_SHIPPING.has(order.order_state) ? ', not yet SHIPPING' : ' and cannot be canceled');
};

const assertLinesCancelable = (order: MmpOrder, lineIds: string[]) => {
  assertOrderCancelable(order);
  const settled = linesNamed(order, lineIds).filter((line) => line.order_line_state !== 'SHIPPING');
  if (settled.length > 0) {
    const states = settled.map((line) => `${line.order_line_id} is ${line.order_line_state}`).join(', ');
    throw new ActionFailure(ActionErrorCode.ORDER_IN_WRONG_STATE, `Lines of order ${order.order_id} cannot be canceled on the marketplace: ${states}`);
  }
};
