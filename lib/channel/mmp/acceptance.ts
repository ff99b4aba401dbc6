import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Acceptance } from '../port.js';
import type { MmpAcceptance, MmpClient, MmpOrder } from './client.js';
import { carryOut } from './course.js';
import { linesNamed, readOrder } from './order-state.js';

/** Line states before a decision; `REFUSED` is a refusal, any other state comes after an acceptance. */
const UNDECIDED = new Set(['STAGING', 'WAITING_ACCEPTANCE']);

/**
 * ACCEPT on MMP: OR21, which needs a decision for every line of the order, straight away (course.ts). A refusal
 * is read from the order: the decisions applied (a redelivery) is done; an order still being created (STAGING)
 * is waited for; one past acceptance is ORDER_IN_WRONG_STATE; lines missing or unknown are the event's fault.
 * MMP's one refusal that no state shows, partial acceptance disabled for the shop, is told by its documented code.
 */
export const acceptOrder = async (
  mmp: Pick<MmpClient, 'store' | 'getOrder' | 'acceptOrder'>,
  acceptance: Acceptance,
): Promise<void> => {
  const orderId = acceptance.channelOrderId;
  const decisions = acceptanceBody(acceptance);
  await carryOut(
    (operation) => readOrder(mmp, orderId, operation),
    [
      {
        operation: 'OR21',
        done: (order) => isDecided(order, decisions),
        check: (order) => {
          assertAwaitingAcceptance(order);
          assertDecidesEveryLine(order, acceptance);
        },
        send: () => mmp.acceptOrder(orderId, decisions),
        refused: (refusal) =>
          refusal.code === 'ORDER_PARTIAL_ACCEPTANCE_DISABLED'
            ? new ActionFailure(
                ActionErrorCode.ACTION_NOT_SUPPORTED,
                `MMP OR21 refused to accept only some lines of order ${orderId} (${refusal.description}): partial acceptance is disabled for this shop`,
              )
            : new ActionFailure(
                ActionErrorCode.UNEXPECTED,
                `MMP OR21 refused the decisions on order ${orderId} (${refusal.description})`,
              ),
      },
    ],
  );
};

/** The OR21 body: one decision per line named, no line twice. */
export const acceptanceBody = (acceptance: Acceptance): MmpAcceptance => {
  const ids = acceptance.lines.map((line) => line.channelOrderLineId);
  const twice = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
  if (twice.length > 0) {
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `ACCEPT of order ${acceptance.channelOrderId} decides line ${twice.join(', ')} more than once`,
    );
  }
  return { order_lines: acceptance.lines.map((line) => ({ id: line.channelOrderLineId, accepted: line.accepted })) };
};

/** Every line named is the order's, and every line of the order has a decision. */
const assertDecidesEveryLine = (order: MmpOrder, acceptance: Acceptance) => {
  const ids = acceptance.lines.map((line) => line.channelOrderLineId);
  linesNamed(order, ids);
  const missing = order.order_lines.map((line) => line.order_line_id).filter((id) => !ids.includes(id));
  if (missing.length > 0) {
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `ACCEPT of order ${order.order_id} has no decision for line ${missing.join(', ')}: the marketplace needs one for every line`,
    );
  }
};

const isDecided = (order: MmpOrder, { order_lines: decisions }: MmpAcceptance): boolean =>
  decisions.every(({ id, accepted }) => {
    const state = order.order_lines.find((line) => line.order_line_id === id)?.order_line_state ?? 'UNKNOWN';
    return accepted ? !UNDECIDED.has(state) && state !== 'REFUSED' && state !== 'CANCELED' : state === 'REFUSED';
  });

const assertAwaitingAcceptance = (order: MmpOrder) => {
  if (order.order_state === 'WAITING_ACCEPTANCE') return;
  const staging = order.order_state === 'STAGING';
  throw new ActionFailure(
    ActionErrorCode.ORDER_IN_WRONG_STATE,
    `Order ${order.order_id} is ${order.order_state} on the marketplace, ${staging ? 'not yet' : 'no longer'} WAITING_ACCEPTANCE`,
    { transient: staging },
  );
};
