import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { HeldOrder } from './connect-orders.js';

/** What the simulated seller does in Connect on an order the import pushed: Connect then publishes the action. */
export const SellerActionSchema = z.object({
  channel_order_id: z.string().min(1),
  type: z.enum(['ACCEPT', 'CREATE_SHIPMENT']),
  /** CREATE_SHIPMENT: the carrier and tracking number the seller types in. @default UPS, a new number */
  carrier: z.string().min(1).optional(),
  tracking_number: z.string().min(1).optional(),
});
export type SellerAction = z.input<typeof SellerActionSchema>;

/** The Connect status an order must have for the seller to do this. */
const STATUS_NEEDED = { ACCEPT: 'AWAITING_ACCEPTANCE', CREATE_SHIPMENT: 'AWAITING_SHIPMENT' } as const;

/**
 * The OrderActionEvent Connect publishes when the seller accepts every line, or ships the whole order, of an order it
 * holds; an error message when the order's status does not allow it (Connect offers the seller no such button).
 */
export function sellerActionEvent(
  held: HeldOrder,
  input: SellerAction,
  now = new Date(),
): { id: string; type: string; time: string; data: Record<string, unknown> } | string {
  const action = SellerActionSchema.parse(input);
  const status = held.body.status;
  if (status !== STATUS_NEEDED[action.type])
    return `Order ${action.channel_order_id} is ${String(status)} in Connect: ${action.type} needs ${STATUS_NEEDED[action.type]}`;
  const subChannel =
    typeof held.body.sub_channel_code === 'string' ? { sub_channel_code: held.body.sub_channel_code } : {};
  const order = {
    channel_id: held.channel_id,
    channel_store_id: held.channel_store_id,
    channel_order_id: action.channel_order_id,
    ...subChannel,
  };
  const lines = held.body.order_lines.map((line) => line.channel_order_line_id);
  const data =
    action.type === 'ACCEPT'
      ? { ...order, order_lines: lines.map((id) => ({ channel_order_line_id: id, accepted: true })) }
      : { ...order, carrier: action.carrier ?? 'UPS', tracking_number: action.tracking_number ?? `1Z${now.getTime()}` };
  return { id: randomUUID(), type: action.type, time: now.toISOString(), data: { action_id: randomUUID(), ...data } };
}
