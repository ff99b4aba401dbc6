import { HttpError } from '../../http/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Shipment } from '../port.js';
import type { CarrierMap } from './carriers.js';
import { trackingBody } from './carriers.js';
import type { MmpClient, MmpOrder } from './client.js';

/** Order states (OR11 `order_state`) and what they mean for a shipment. */
const ALREADY_SHIPPED = new Set(['SHIPPED', 'TO_COLLECT', 'RECEIVED']);
const NOT_YET_SHIPPABLE = new Set(['STAGING', 'WAITING_ACCEPTANCE', 'WAITING_DEBIT', 'WAITING_DEBIT_PAYMENT']);

/**
 * CREATE_SHIPMENT on MMP: OR23 (tracking) then OR24 (ship the whole order).
 *
 * The order is read first (OR11), so a redelivery after a crash or a lost response confirms instead of
 * repeating blindly, and refusals are classified from the order's state rather than from error messages
 * (MMP's error bodies are not specified). Partial shipments (ST01) are not supported yet: shipping the whole
 * order for them would be wrong, so they fail with ACTION_NOT_SUPPORTED.
 */
export const shipOrder = async (mmp: MmpClient, carriers: CarrierMap, shipment: Shipment): Promise<void> => {
  const orderId = shipment.channelOrderId;
  const order = await readOrder(mmp, orderId, 'OR11');
  assertWholeOrder(order, shipment);
  if (ALREADY_SHIPPED.has(order.order_state)) return;
  assertShippable(order);

  const carrierCode = await carriers.codeFor(shipment.carrier);
  try {
    await mmp.updateTracking(orderId, trackingBody(carrierCode, shipment));
  } catch (error) {
    return confirmShippedAfterRefusal(mmp, error, orderId, 'OR23', () =>
      carrierCode
        ? new ActionFailure(ActionErrorCode.INVALID_INPUT, `MMP OR23 refused the tracking of order ${orderId} (${describe(error)})`)
        : new ActionFailure(
            ActionErrorCode.CARRIER_NOT_SUPPORTED,
            `Carrier '${shipment.carrier}' has no carrier_code on the marketplace and MMP OR23 refused it as an unregistered carrier (${describe(error)})`,
          ),
    );
  }
  try {
    await mmp.ship(orderId);
  } catch (error) {
    return confirmShippedAfterRefusal(mmp, error, orderId, 'OR24', () =>
      new ActionFailure(ActionErrorCode.UNEXPECTED, `MMP OR24 refused to ship order ${orderId} in state SHIPPING (${describe(error)})`),
    );
  }
};

const readOrder = async (mmp: MmpClient, orderId: string, operation: string): Promise<MmpOrder> => {
  const order = await mmp.getOrder(orderId);
  if (!order) {
    throw new ActionFailure(
      ActionErrorCode.DATA_NOT_FOUND,
      `Order ${orderId} not found on the marketplace (MMP ${operation}, store ${mmp.store.channelStoreId})`,
    );
  }
  return order;
};

const assertWholeOrder = (order: MmpOrder, shipment: Shipment) => {
  if (!shipment.lines) return;
  const shipped = new Map<string, number>();
  for (const line of shipment.lines) {
    shipped.set(line.channelOrderLineId, (shipped.get(line.channelOrderLineId) ?? 0) + line.quantity);
  }
  const unknown = [...shipped.keys()].filter((id) => !order.order_lines.some((line) => line.order_line_id === id));
  if (unknown.length > 0) {
    throw new ActionFailure(ActionErrorCode.DATA_NOT_FOUND, `Order ${order.order_id} has no line ${unknown.join(', ')} on the marketplace`);
  }
  const open = order.order_lines.filter((line) => !['CANCELED', 'REFUSED'].includes(line.order_line_state));
  const whole = open.every((line) => (shipped.get(line.order_line_id) ?? 0) >= line.quantity);
  if (!whole) {
    throw new ActionFailure(
      ActionErrorCode.ACTION_NOT_SUPPORTED,
      `Partial shipment of order ${order.order_id} (items cover only part of the order) is not supported yet: MMP needs ST01 for it`,
    );
  }
};

const assertShippable = (order: MmpOrder) => {
  if (order.order_state === 'SHIPPING') return;
  const notYet = NOT_YET_SHIPPABLE.has(order.order_state);
  throw new ActionFailure(
    ActionErrorCode.ORDER_IN_WRONG_STATE,
    notYet
      ? `Order ${order.order_id} is ${order.order_state} on the marketplace, not yet SHIPPING`
      : `Order ${order.order_id} is ${order.order_state} on the marketplace and cannot be shipped`,
    // Connect may send the shipment before the acceptance is applied on the marketplace: worth waiting for.
    { transient: notYet },
  );
};

/**
 * A marketplace refusal (4xx) of OR23/OR24: re-read the order. Already shipped means the work is done
 * (a redelivery, or someone shipped it by hand); a state that no longer allows shipping is
 * ORDER_IN_WRONG_STATE; otherwise the call-specific failure. Outages are rethrown as they are.
 */
const confirmShippedAfterRefusal = async (
  mmp: MmpClient,
  error: unknown,
  orderId: string,
  operation: string,
  otherwise: () => ActionFailure,
): Promise<void> => {
  if (!(error instanceof HttpError)) throw error;
  const order = await readOrder(mmp, orderId, operation);
  if (ALREADY_SHIPPED.has(order.order_state)) return;
  assertShippable(order);
  throw otherwise();
};

const describe = (error: unknown) =>
  error instanceof HttpError ? `${error.status}${error.details.code ? ` ${error.details.code}` : ''}` : 'error';
