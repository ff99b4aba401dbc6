import type { Intent } from '../../ledger/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Adjustment } from '../port.js';
import { adjustmentIds, adjustmentLines, lineIdsOf, reasonCodesFor, type ReasonLookup } from './adjustments.js';
import type { MmpClient, MmpOrder } from './client.js';
import { carryOut } from './course.js';
import { BEFORE_SHIPPING, linesNamed, readOrder } from './order-state.js';

/** Line states with nothing left to refund. */
const NOT_REFUNDABLE = new Set(['CANCELED', 'REFUSED', 'REFUNDED']);

/**
 * REFUND on MMP: OR28 with Connect's amounts, taxes and the operator's reason codes, on lines that were shipped. The
 * order is read first: the currency and the lines' refund ids need it. OR28 is not idempotent: those ids are
 * remembered before it, and a redelivery that finds a new one confirms instead of refunding twice (course.ts). A line
 * not shipped yet may still be (the shipment may be on its way to the marketplace): that is waited for.
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
  const refunds = adjustmentLines(order, refund, await reasonCodesFor(reasons, 'REFUND', refund));
  await carryOut(
    (operation) => readOrder(mmp, order.order_id, operation),
    [
      {
        operation: 'OR28',
        done: () => false,
        check: (found) => assertRefundable(found, lineIds),
        send: () => mmp.refundLines({ order_tax_mode: 'TAX_EXCLUDED', refunds }),
        refused: (refusal) =>
          new ActionFailure(
            ActionErrorCode.INVALID_INPUT,
            `MMP OR28 refused the refund of lines ${lineIds.join(', ')} of order ${order.order_id} (${refusal.description}): amounts, taxes or reason codes not accepted`,
          ),
      },
    ],
    { known: order, reconcile: { intent, operation: 'OR28', idsBefore: adjustmentIds(order, lineIds, 'refunds') } },
  );
};

const assertRefundable = (order: MmpOrder, lineIds: string[]) => {
  const lines = linesNamed(order, lineIds);
  const notShipped = lines.filter(
    (line) => BEFORE_SHIPPING.has(line.order_line_state) || line.order_line_state === 'SHIPPING',
  );
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
