import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Shipment } from '../port.js';
import type { CarrierMap } from './carriers.js';
import { trackingBody } from './carriers.js';
import type { MmpClient, MmpOrder } from './client.js';
import { BEFORE_SHIPPING, CLOSED_LINE, linesNamed, orderInWrongState, quantitiesByLine, readOrder } from './order-state.js';
import { describeRefusal, isRefusal } from './refusal.js';

/** Order states (OR11 `order_state`) where the shipment is already done. */
const ALREADY_SHIPPED = new Set(['SHIPPED', 'TO_COLLECT', 'RECEIVED']);

/** Ships part of an order (ST01); absent when the marketplace has no multi-shipment. */
export type ShipPart = (order: MmpOrder) => Promise<void>;

/**
 * CREATE_SHIPMENT on MMP: OR23 (tracking) then OR24 (ship the whole order), or `shipPart` for items that
 * cover only part of the order.
 *
 * The order is read first (OR11), so a redelivery after a crash or a lost response confirms instead of
 * repeating blindly, and refusals are classified from the order's state rather than from error messages
 * (MMP's error bodies are not specified). Shipping the whole order for a partial shipment would be wrong, so
 * without multi-shipment it fails with ACTION_NOT_SUPPORTED.
 */
export const shipOrder = async (
  mmp: Pick<MmpClient, 'store' | 'getOrder' | 'updateTracking' | 'ship'>,
  carriers: CarrierMap,
  shipment: Shipment,
  shipPart?: ShipPart,
): Promise<void> => {
  const orderId = shipment.channelOrderId;
  const order = await readOrder(mmp, orderId, 'OR11');
  const whole = coversWholeOrder(order, shipment);
  if (ALREADY_SHIPPED.has(order.order_state)) return;
  if (!whole && !shipPart) {
    throw new ActionFailure(
      ActionErrorCode.ACTION_NOT_SUPPORTED,
      `Partial shipment of order ${order.order_id} (items cover only part of the order) needs the marketplace's multi-shipment (ST01), which is not enabled here (MMP_MULTI_SHIPMENT)`,
    );
  }
  assertShippable(order);
  if (!whole && shipPart) return shipPart(order);

  const carrierCode = await carriers.codeFor(shipment.carrier);
  try {
    await mmp.updateTracking(orderId, trackingBody(carrierCode, shipment));
  } catch (error) {
    return confirmShippedAfterRefusal(mmp, error, orderId, 'OR23', () =>
      carrierCode
        ? new ActionFailure(ActionErrorCode.INVALID_INPUT, `MMP OR23 refused the tracking of order ${orderId} (${describeRefusal(error)})`)
        : new ActionFailure(
            ActionErrorCode.CARRIER_NOT_SUPPORTED,
            `Carrier '${shipment.carrier}' has no carrier_code on the marketplace and MMP OR23 refused it as an unregistered carrier (${describeRefusal(error)})`,
          ),
    );
  }
  try {
    await mmp.ship(orderId);
  } catch (error) {
    return confirmShippedAfterRefusal(mmp, error, orderId, 'OR24', () =>
      new ActionFailure(ActionErrorCode.UNEXPECTED, `MMP OR24 refused to ship order ${orderId} in state SHIPPING (${describeRefusal(error)})`),
    );
  }
};

/** No `items`, or items covering every open line in full, ship the whole order; unknown lines are DATA_NOT_FOUND. */
const coversWholeOrder = (order: MmpOrder, shipment: Shipment): boolean => {
  if (!shipment.lines) return true;
  linesNamed(order, shipment.lines.map((line) => line.channelOrderLineId));
  const shipped = quantitiesByLine(shipment.lines);
  const open = order.order_lines.filter((line) => !CLOSED_LINE.has(line.order_line_state));
  return open.every((line) => (shipped.get(line.order_line_id) ?? 0) >= line.quantity);
};

// Connect may send the shipment before the acceptance is applied on the marketplace: that is worth waiting for.
export const assertShippable = (order: MmpOrder) => {
  if (order.order_state === 'SHIPPING') return;
  throw orderInWrongState(order, BEFORE_SHIPPING.has(order.order_state) ? ', not yet SHIPPING' : ' and cannot be shipped');
};

/**
 * A marketplace refusal (4xx) of OR23/OR24: re-read the order. Already shipped means the work is done
 * (a redelivery, or someone shipped it by hand); a state that no longer allows shipping is
 * ORDER_IN_WRONG_STATE; otherwise the call-specific failure. Outages are rethrown as they are.
 */
const confirmShippedAfterRefusal = async (
  mmp: Pick<MmpClient, 'store' | 'getOrder'>,
  error: unknown,
  orderId: string,
  operation: string,
  otherwise: () => ActionFailure,
): Promise<void> => {
  if (!isRefusal(error)) throw error;
  const order = await readOrder(mmp, orderId, operation);
  if (ALREADY_SHIPPED.has(order.order_state)) return;
  assertShippable(order);
  throw otherwise();
};
