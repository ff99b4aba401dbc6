import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { uncanceledQuantity } from './mmp-adjustments.js';
import type { MmpOrder } from './mmp-orders.js';
import { MMP_CARRIERS, moveOrder } from './mmp-workflow.js';

/** The ST01 fields the simulator uses, read once the spec validator has accepted the body. */
export const ShipmentsSchema = z.object({
  shipments: z.array(
    z.object({
      order_id: z.string(),
      shipment_lines: z.array(z.object({ order_line_id: z.string().optional(), quantity: z.number().int() })),
      tracking: z
        .object({
          carrier_code: z.string().optional(),
          carrier_name: z.string().optional(),
          tracking_number: z.string().optional(),
          tracking_url: z.string().optional(),
        })
        .optional(),
      shipped: z.boolean().default(false),
    }),
  ),
});
type ShipmentRequest = z.infer<typeof ShipmentsSchema>['shipments'][number];

/** A shipment as ST01 creates it and ST11 lists it (the fields the spec requires, plus lines and tracking). */
export interface MmpShipment {
  id: string;
  order_id: string;
  status: 'SHIPPING' | 'SHIPPED';
  status_customer_debit: 'NOT_STARTED';
  created_date: string;
  last_updated_date: string;
  shipment_lines: Array<{ order_line_id: string; quantity: number }>;
  tracking?: ShipmentRequest['tracking'];
}

/** The shipments of a multi-shipment marketplace. */
export class ShipmentBook {
  private readonly shipments: MmpShipment[] = [];

  /** ST11: the shipments of some orders. */
  list(orderIds: string[]): MmpShipment[] {
    return structuredClone(this.shipments.filter((shipment) => orderIds.includes(shipment.order_id)));
  }

  clear(): void {
    this.shipments.length = 0;
  }

  /**
   * ST01, each shipment on its own: the order must be SHIPPING, each line SHIPPING with the quantity left
   * to ship, a carrier code registered. A line shipped in full is SHIPPED, and the order once every open
   * line is. A refused shipment is listed in `shipment_errors`, the others are created.
   */
  create(findOrder: (orderId: string) => MmpOrder | undefined, requests: ShipmentRequest[]) {
    const answer: { shipment_errors: Array<{ order_id: string; message: string }>; shipment_success: MmpShipment[] } = {
      shipment_errors: [],
      shipment_success: [],
    };
    for (const request of requests) {
      const order = findOrder(request.order_id);
      const error = order ? this.refusal(order, request) : `Order ${request.order_id} not found`;
      if (error !== undefined || !order) {
        answer.shipment_errors.push({ order_id: request.order_id, message: error ?? 'Order not found' });
        continue;
      }
      const now = new Date().toISOString();
      const shipment: MmpShipment = {
        id: randomUUID(),
        order_id: order.order_id,
        status: request.shipped ? 'SHIPPED' : 'SHIPPING',
        status_customer_debit: 'NOT_STARTED',
        created_date: now,
        last_updated_date: now,
        shipment_lines: request.shipment_lines.map((line) => ({
          order_line_id: line.order_line_id ?? '',
          quantity: line.quantity,
        })),
        ...(request.tracking && { tracking: request.tracking }),
      };
      this.shipments.push(shipment);
      for (const line of order.order_lines.filter(
        (candidate) =>
          this.leftToShip(order, candidate.order_line_id) === 0 && candidate.order_line_state === 'SHIPPING',
      )) {
        line.order_line_state = 'SHIPPED';
        line.shipped_date = now;
      }
      if (order.order_lines.every((line) => ['SHIPPED', 'CANCELED', 'REFUSED'].includes(line.order_line_state)))
        moveOrder(order, 'SHIPPED');
      answer.shipment_success.push(structuredClone(shipment));
    }
    return answer;
  }

  private refusal(order: MmpOrder, request: ShipmentRequest): string | undefined {
    if (order.order_state !== 'SHIPPING') return `Order ${order.order_id} is ${order.order_state}, not SHIPPING`;
    const carrierCode = request.tracking?.carrier_code;
    if (carrierCode !== undefined && !MMP_CARRIERS.some((carrier) => carrier.code === carrierCode))
      return `Carrier code ${carrierCode} is not registered`;
    for (const { order_line_id: lineId, quantity } of request.shipment_lines) {
      const line = order.order_lines.find((candidate) => candidate.order_line_id === lineId);
      if (!line) return `Order line ${lineId ?? '(none)'} is not in order ${order.order_id}`;
      if (line.order_line_state !== 'SHIPPING')
        return `Order line ${line.order_line_id} is ${line.order_line_state}, not SHIPPING`;
      if (quantity > this.leftToShip(order, line.order_line_id))
        return `Order line ${line.order_line_id} has only ${this.leftToShip(order, line.order_line_id)} left to ship`;
    }
    return undefined;
  }

  private leftToShip(order: MmpOrder, lineId: string): number {
    const line = order.order_lines.find((candidate) => candidate.order_line_id === lineId);
    const shipped = this.shipments
      .filter((shipment) => shipment.order_id === order.order_id)
      .flatMap((shipment) => shipment.shipment_lines)
      .filter((shipped) => shipped.order_line_id === lineId)
      .reduce((sum, shipped) => sum + shipped.quantity, 0);
    return line ? uncanceledQuantity(line) - shipped : 0;
  }
}
