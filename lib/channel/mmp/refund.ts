import type { Intent } from '../../ledger/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Adjustment } from '../port.js';
import { adjustmentIds, adjustmentLines, lineIdsOf, reasonCodesFor, type ReasonLookup } from './adjustments.js';
import type { MmpClient, MmpOrder } from './client.js';
import { BEFORE_SHIPPING, linesNamed, readOrder } from './order-state.js';
import { appliedEarlier, rememberBefore } from './reconcile.js';
import { describeRefusal, isRefusal } from './refusal.js';

/** Line states with nothing left to refund. */
const NOT_REFUNDABLE = new Set(['CANCELED', 'REFUSED', 'REFUNDED']);

/**
 * REFUND on MMP: OR28 with Connect's amounts, taxes and the operator's reason codes, on lines that were shipped. OR28 is
 * not idempotent: the lines' refund ids are remembered before it, and a redelivery that finds a new one
 * confirms instead of refunding twice (reconcile.ts). A line not shipped yet may still be (the shipment may
 * be on its way to the marketplace): that is waited for.
 */
export const refundOrder = async (
  mmp: Pick<MmpClient, 'store' | 'getOrder' | 'refundLines'>,
  refund: Adjustment,
  intent: Intent,
  reasons: ReasonLookup,
) => {
  const order = await readOrder(mmp, refund.channelOrderId, 'OR11');
  const lineIds = lineIdsOf(refund);
  linesNamed(order, lineIds);
  const idsBefore = adjustmentIds(order, lineIds, 'refunds');
  if (await appliedEarlier(intent, 'OR28', idsBefore)) return;

  const body = { order_tax_mode: 'TAX_EXCLUDED' as const, refunds: adjustmentLines(order, refund, await reasonCodesFor(reasons, 'REFUND', refund)) };
  assertRefundable(order, lineIds);
  await rememberBefore(intent, 'OR28', idsBefore);
  try {
    await mmp.refundLines(body);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    assertRefundable(await readOrder(mmp, order.order_id, 'OR28'), lineIds);
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `MMP OR28 refused the refund of lines ${lineIds.join(', ')} of order ${order.order_id} (${describeRefusal(error)}): amounts, taxes or reason codes not accepted`,
    );
  }
};

const assertRefundable = (order: MmpOrder, lineIds: string[]) => {
  const lines = linesNamed(order, lineIds);
  const notShipped = lines.filter((line) => BEFORE_SHIPPING.has(line.order_line_state) || line.order_line_state === 'SHIPPING');
  const settled = lines.filter((line) => NOT_REFUNDABLE.has(line.order_line_state));
  const refused = settled.length > 0 ? settled : notShipped;
  if (refused.length === 0) return;
  const states = refused.map((line) => `${line.order_line_id} is ${line.order_line_state}`).join(', ');
  throw new ActionFailure(
    ActionErrorCode.ORDER_IN_WRONG_STATE,
    `Lines of order ${order.order_id} cannot be refunded on the marketplace${settled.length > 0 ? '' : ' (not shipped yet)'}: ${states}`,
    { transient: settled.length === 0 },
  );
};
