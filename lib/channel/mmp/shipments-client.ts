import * as z from 'zod';
import type { MmpTransport } from './client.js';
import type { CallAnswer } from './course.js';

/** ST01 body: shipments of order lines, tracked, and shipped on creation. */
export interface MmpShipments {
  shipments: Array<{
    order_id: string;
    shipment_lines: Array<{ order_line_id: string; quantity: number }>;
    tracking: { carrier_code?: string; carrier_name?: string; tracking_number?: string; tracking_url?: string };
    shipped: boolean;
  }>;
}

/** ST01 answers 201 with the shipments it refused in `shipment_errors` (their messages are not kept). */
const CreatedShipments = z.object({ shipment_errors: z.array(z.object({ order_id: z.string().nullish() })).nullish() });

const ShipmentsPage = z.object({ data: z.array(z.object({ id: z.string() })), next_page_token: z.string().nullish() });

/** The multi-shipment calls of the MMP seller API (only where the operator enabled multi-shipment). */
export interface MmpShipmentsClient {
  /** ST11: the ids of every shipment of the order. */
  shipmentIds(orderId: string): Promise<string[]>;
  /** ST01: not idempotent, sent once. 'refused' when the 201 lists the shipment in `shipment_errors`. */
  createShipments(shipments: MmpShipments): Promise<CallAnswer>;
}

export const createMmpShipmentsClient = (call: MmpTransport): MmpShipmentsClient => ({
  async shipmentIds(orderId) {
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const query: Record<string, string> = { order_id: orderId, ...(pageToken && { page_token: pageToken }) };
      const response = await call({ operation: 'ST11', method: 'GET', path: '/api/shipments', query });
      const page = ShipmentsPage.parse(await response.json());
      ids.push(...page.data.map((shipment) => shipment.id));
      pageToken = page.next_page_token ?? undefined;
    } while (pageToken);
    return ids;
  },
  async createShipments(shipments) {
    const response = await call({
      operation: 'ST01',
      method: 'POST',
      path: '/api/shipments',
      json: shipments,
      repeatable: false,
    });
    const { shipment_errors: errors } = CreatedShipments.parse(await response.json());
    return (errors ?? []).length > 0 ? 'refused' : 'applied';
  },
});
