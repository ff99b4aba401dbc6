import type { Intent } from '../../ledger/index.js';
import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Shipment } from '../port.js';
import type { CarrierMap } from './carriers.js';
import type { MmpClient, MmpOrder } from './client.js';
import { carryOut } from './course.js';
import { quantitiesByLine, readOrder } from './order-state.js';
import type { MmpShipments, MmpShipmentsClient } from './shipments-client.js';
import { assertShippable } from './shipping.js';

/**
 * Part of an order shipped on a multi-shipment marketplace: one ST01 shipment of the items, shipped at once.
 * ST01 is not idempotent: the order's shipment ids (ST11) are remembered before it, and a redelivery that
 * finds a new one confirms instead of shipping the items twice (course.ts). The caller has read the order and
 * checked that it is SHIPPING.
 */
export const shipPart = async (
  apis: { mmp: Pick<MmpClient, 'store' | 'getOrder'>; shipments: MmpShipmentsClient; carriers: CarrierMap },
  order: MmpOrder,
  shipment: Shipment,
  intent: Intent,
): Promise<void> => {
  const body = shipmentBody(order.order_id, await apis.carriers.codeFor(shipment.carrier), shipment);
  await carryOut(
    (operation) => readOrder(apis.mmp, order.order_id, operation),
    [
      {
        operation: 'ST01',
        done: () => false,
        check: assertShippable,
        send: () => apis.shipments.createShipments(body),
        itemErrors: 'shipment_errors',
        refused: (refusal) =>
          new ActionFailure(
            ActionErrorCode.INVALID_INPUT,
            `MMP ST01 refused the shipment of part of order ${order.order_id} (${refusal.description}): quantities, carrier or tracking not accepted`,
          ),
      },
    ],
    {
      known: order,
      reconcile: { intent, operation: 'ST01', idsNow: () => apis.shipments.shipmentIds(order.order_id) },
    },
  );
};

/** The ST01 body: the items by line, and the carrier registered (by code) or not (by name and URL). */
export const shipmentBody = (orderId: string, carrierCode: string | undefined, shipment: Shipment): MmpShipments => {
  const trackingNumber = shipment.trackingNumber || undefined;
  return {
    shipments: [
      {
        order_id: orderId,
        shipment_lines: [...quantitiesByLine(shipment.lines ?? [])].map(([lineId, quantity]) => ({
          order_line_id: lineId,
          quantity,
        })),
        tracking: carrierCode
          ? { carrier_code: carrierCode, tracking_number: trackingNumber }
          : {
              carrier_name: shipment.carrier.trim(),
              tracking_url: shipment.trackingUrl || undefined,
              tracking_number: trackingNumber,
            },
        shipped: true,
      },
    ],
  };
};
