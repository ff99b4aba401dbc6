import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Acceptance } from '../port.js';
import type { MmpAcceptance, MmpClient, MmpOrder } from './client.js';
import { linesNamed, readOrder } from './order-state.js';
import { describeRefusal, isRefusal } from './refusal.js';

/** Line states before a decision; `REFUSED` is a refusal, any other state comes after an acceptance. */
const UNDECIDED = new Set(['STAGING', 'WAITING_ACCEPTANCE']);

/**
 * ACCEPT on MMP: OR21, which needs a decision for every line of the order. The order is read first: a
 * redelivery finds the decisions applied and confirms; an order still being created (STAGING) is waited
 * for; one past acceptance with other decisions is ORDER_IN_WRONG_STATE. MMP's one refusal that no state
 * shows, partial acceptance disabled for the shop, is told by its documented error code.
 */
export const acceptOrder = async (mmp: Pick<MmpClient, 'store' | 'getOrder' | 'acceptOrder'>, acceptance: Acceptance): Promise<void> => {
  const order = await readOrder(mmp, acceptance.channelOrderId, 'OR11');
  const decisions = acceptanceBody(order, acceptance);
  if (isDecided(order, decisions)) return;
  assertAwaitingAcceptance(order);
  try {
    await mmp.acceptOrder(order.order_id, decisions);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    const after = await readOrder(mmp, order.order_id, 'OR21');
    if (isDecided(after, decisions)) return;
    assertAwaitingAcceptance(after);
    if (error.details.code === 'ORDER_PARTIAL_ACCEPTANCE_DISABLED') {
      throw new ActionFailure(
        ActionErrorCode.ACTION_NOT_SUPPORTED,
        `MMP OR21 refused to accept only some lines of order ${order.order_id} (${describeRefusal(error)}): partial acceptance is disabled for this shop`,
      );
    }
    throw new ActionFailure(ActionErrorCode.UNEXPECTED, `MMP OR21 refused the decisions on order ${order.order_id} (${describeRefusal(error)})`);
  }
};

/** The OR21 body: one decision per line of the order, no line twice, no line the order does not have. */
export const acceptanceBody = (order: MmpOrder, acceptance: Acceptance): MmpAcceptance => {
  const ids = acceptance.lines.map((line) => line.channelOrderLineId);
  linesNamed(order, ids);
  const twice = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
  if (twice.length > 0) {
    throw new ActionFailure(ActionErrorCode.INVALID_INPUT, `ACCEPT of order ${order.order_id} decides line ${twice.join(', ')} more than once`);
  }
  const missing = order.order_lines.map((line) => line.order_line_id).filter((id) => !ids.includes(id));
  if (missing.length > 0) {
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `ACCEPT of order ${order.order_id} has no decision for line ${missing.join(', ')}: the marketplace needs one for every line`,
    );
  }
  return { order_lines: acceptance.lines.map((line) => ({ id: line.channelOrderLineId, accepted: line.accepted })) };
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
