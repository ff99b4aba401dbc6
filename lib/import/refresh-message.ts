import * as z from 'zod';

/** A message of the order-refresh queue (ARCHITECTURE.md): the order, and its store (the single store when omitted). */
export const RefreshMessage = z.object({
  channel_order_id: z.string().trim().min(1),
  channel_store_id: z.string().trim().min(1).optional(),
});
export type RefreshMessage = z.infer<typeof RefreshMessage>;

/** The body that names an order on the order-refresh queue. */
export const refreshMessageBody = (store: string | undefined, orderId: string): string =>
  JSON.stringify({ channel_order_id: orderId, channel_store_id: store } satisfies RefreshMessage);
