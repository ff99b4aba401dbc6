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
import { carryOut } from './course.js';
import { BEFORE_SHIPPING, linesNamed, readOrder } from './order-state.js';

/** Line states with nothing left to refund. */
const NOT_REFUNDABLE = new Set(['CANCELED', 'REFUSED', 'REFUNDED']);

/**
 * REFUND on MMP: OR28 with Connect's amounts (in their currency, the order's), taxes and the operator's reason codes,
 * on lines that were shipped. OR28 is not idempotent: the lines' refund ids are remembered before it, and a
 * redelivery that finds a new one confirms instead of refunding twice (course.ts) — so the order is read first, for
 * those ids. A line not shipped yet may still be (the shipment may be on its way to the marketplace): that is waited
 * for, and the redelivery sends OR28 with the ids read then, without reading again.
 */
export const refundOrder = async (
  mmp: Pick<MmpClient, 'store' | 'getOrder' | 'refundLines'>,
  refund: Adjustment,
  intent: Intent,
  reasons: ReasonLookup,
) => {
  const orderId = refund.channelOrderId;
  const lineIds = lineIdsOf(refund);
  const refunds = adjustmentLines(refund, await reasonCodesFor(reasons, 'REFUND', refund));
  await carryOut(
    (operation) => readOrder(mmp, orderId, operation),
    [
      {
        operation: 'OR28',
        done: () => false,
        check: (order) => {
          assertOrderCurrency(order, refund);
          assertRefundable(order, lineIds);
        },
        send: () => mmp.refundLines({ order_tax_mode: 'TAX_EXCLUDED', refunds }),
        refused: (refusal) =>
          new ActionFailure(
            ActionErrorCode.INVALID_INPUT,
            `MMP OR28 refused the refund of lines ${lineIds.join(', ')} of order ${orderId} (${refusal.description}): amounts, taxes or reason codes not accepted`,
          ),
      },
    ],
    { reconcile: { intent, operation: 'OR28', idsNow: (order) => adjustmentIds(order, lineIds, 'refunds') } },
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
