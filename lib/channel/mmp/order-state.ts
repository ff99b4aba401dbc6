import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { MmpClient, MmpOrder } from './client.js';

export type MmpOrderLine = MmpOrder['order_lines'][number];

/** States an order goes through before SHIPPING: an action that needs SHIPPING may wait for them to pass. */
export const BEFORE_SHIPPING: ReadonlySet<string> = new Set([
  'STAGING',
  'WAITING_ACCEPTANCE',
  'WAITING_DEBIT',
  'WAITING_DEBIT_PAYMENT',
]);

/** Line states that take a line out of the order: nothing is left to ship or cancel on it. */
export const CLOSED_LINE: ReadonlySet<string> = new Set(['CANCELED', 'REFUSED']);

/** OR11, with an unknown order reported as DATA_NOT_FOUND naming the call that needed it. */
export const readOrder = async (
  mmp: Pick<MmpClient, 'getOrder' | 'store'>,
  orderId: string,
  operation: string,
): Promise<MmpOrder> => {
  const order = await mmp.getOrder(orderId);
  if (!order) {
    throw new ActionFailure(
      ActionErrorCode.DATA_NOT_FOUND,
      `Order ${orderId} not found on the marketplace (MMP ${operation}, store ${mmp.store.channelStoreId})`,
    );
  }
  return order;
};

/** The order's lines named by an action, in its order; a line the marketplace does not know is DATA_NOT_FOUND. */
export const linesNamed = (order: MmpOrder, lineIds: string[]): MmpOrderLine[] => {
  const unknown = [...new Set(lineIds)].filter((id) => !order.order_lines.some((line) => line.order_line_id === id));
  if (unknown.length > 0) {
    throw new ActionFailure(
      ActionErrorCode.DATA_NOT_FOUND,
      `Order ${order.order_id} has no line ${unknown.join(', ')} on the marketplace`,
    );
  }
  return order.order_lines.filter((line) => lineIds.includes(line.order_line_id));
};

/** Order `MKP-1` is `SHIPPED` … : ORDER_IN_WRONG_STATE, worth waiting for while the order is still before SHIPPING. */
export const orderInWrongState = (order: MmpOrder, why: string): ActionFailure =>
  new ActionFailure(
    ActionErrorCode.ORDER_IN_WRONG_STATE,
    `Order ${order.order_id} is ${order.order_state} on the marketplace${why}`,
    {
      transient: BEFORE_SHIPPING.has(order.order_state),
    },
  );

/** The quantity of each line, for lines that an event may list more than once. */
export const quantitiesByLine = (
  lines: Array<{ channelOrderLineId: string; quantity: number }>,
): Map<string, number> => {
  const quantities = new Map<string, number>();
  for (const line of lines)
    quantities.set(line.channelOrderLineId, (quantities.get(line.channelOrderLineId) ?? 0) + line.quantity);
  return quantities;
};
