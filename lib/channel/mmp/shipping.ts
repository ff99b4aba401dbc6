import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Shipment } from '../port.js';
import type { CarrierMap } from './carriers.js';
import { trackingBody } from './carriers.js';
import type { MmpClient, MmpOrder } from './client.js';
import { carryOut } from './course.js';
import {
  BEFORE_SHIPPING,
  CLOSED_LINE,
  linesNamed,
  orderInWrongState,
  quantitiesByLine,
  readOrder,
} from './order-state.js';

/** Order states (OR11 `order_state`) where the shipment is already done. */
const ALREADY_SHIPPED = new Set(['SHIPPED', 'TO_COLLECT', 'RECEIVED']);

/** Ships part of an order (ST01); absent when the marketplace has no multi-shipment. */
export type ShipPart = (order: MmpOrder) => Promise<void>;

/**
 * CREATE_SHIPMENT on MMP: OR23 (tracking) then OR24 (ship the whole order), straight away (course.ts): a refusal
 * is read from the order, so a redelivery finds it shipped and confirms. Items are checked against the order
 * first, the one case that needs it: items covering only part of the order go to `shipPart` (ST01), and without
 * multi-shipment that is ACTION_NOT_SUPPORTED (shipping the whole order would be wrong).
 */
export const shipOrder = async (
  mmp: Pick<MmpClient, 'store' | 'getOrder' | 'updateTracking' | 'ship'>,
  carriers: CarrierMap,
  shipment: Shipment,
  shipPart?: ShipPart,
): Promise<void> => {
  const orderId = shipment.channelOrderId;
  const read = (operation: string) => readOrder(mmp, orderId, operation);
  const order = shipment.lines ? await read('OR11') : undefined;
  if (order && !ALREADY_SHIPPED.has(order.order_state) && !coversWholeOrder(order, shipment)) {
    if (!shipPart) {
      throw new ActionFailure(
        ActionErrorCode.ACTION_NOT_SUPPORTED,
        `Partial shipment of order ${orderId} (items cover only part of the order) needs the marketplace's multi-shipment (ST01), which is not enabled here (MMP_MULTI_SHIPMENT)`,
      );
    }
    assertShippable(order);
    return shipPart(order);
  }

  const carrierCode = await carriers.codeFor(shipment.carrier);
  const done = (found: MmpOrder) => ALREADY_SHIPPED.has(found.order_state);
  await carryOut(
    read,
    [
      {
        operation: 'OR23',
        done,
        check: assertShippable,
        send: () => mmp.updateTracking(orderId, trackingBody(carrierCode, shipment)),
        refused: (refusal) =>
          carrierCode
            ? new ActionFailure(
                ActionErrorCode.INVALID_INPUT,
                `MMP OR23 refused the tracking of order ${orderId} (${refusal.description})`,
              )
            : new ActionFailure(
                ActionErrorCode.CARRIER_NOT_SUPPORTED,
                `Carrier '${shipment.carrier}' has no carrier_code on the marketplace and MMP OR23 refused it as an unregistered carrier (${refusal.description})`,
              ),
      },
      {
        operation: 'OR24',
        done,
        check: assertShippable,
        send: () => mmp.ship(orderId),
        refused: (refusal) =>
          new ActionFailure(
            ActionErrorCode.UNEXPECTED,
            `MMP OR24 refused to ship order ${orderId} in state SHIPPING (${refusal.description})`,
          ),
      },
    ],
    { known: order },
  );
};

/** No `items`, or items covering every open line in full, ship the whole order; unknown lines are DATA_NOT_FOUND. */
const coversWholeOrder = (order: MmpOrder, shipment: Shipment): boolean => {
  if (!shipment.lines) return true;
  linesNamed(
    order,
    shipment.lines.map((line) => line.channelOrderLineId),
  );
  const shipped = quantitiesByLine(shipment.lines);
  const open = order.order_lines.filter((line) => !CLOSED_LINE.has(line.order_line_state));
  return open.every((line) => (shipped.get(line.order_line_id) ?? 0) >= line.quantity);
};

// Connect may send the shipment before the acceptance is applied on the marketplace: that is worth waiting for.
export const assertShippable = (order: MmpOrder) => {
  if (order.order_state === 'SHIPPING') return;
  throw orderInWrongState(
    order,
    BEFORE_SHIPPING.has(order.order_state) ? ', not yet SHIPPING' : ' and cannot be shipped',
  );
};
