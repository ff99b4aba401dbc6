import { z } from 'zod';

/**
 * What the import sends to Connect: `OrderRequest` of upsertOrders and `ReturnRequest` of upsertReturns
 * (contracts/mirakl-connect-channel-openapi.json), as zod schemas with the spec's documented constraints, so an
 * order is validated before it is sent (invariant 15).
 * STUB (interface only): the import-mapping work replaces these with the full schemas.
 */
export const ConnectOrderSchema = z.object({
  channel_order_id: z.string().min(1),
  channel_updated_at: z.string(),
  created_at: z.string(),
  status: z.string(),
  order_lines: z.array(z.object({ channel_order_line_id: z.string() }).loose()).min(1),
}).loose();
export type ConnectOrder = z.infer<typeof ConnectOrderSchema>;

export const ConnectReturnSchema = z.object({
  channel_order_id: z.string().min(1),
  channel_return_id: z.string().min(1),
  channel_updated_at: z.string(),
  created_at: z.string(),
  status: z.string(),
  return_lines: z.array(z.object({ channel_order_line_id: z.string() }).loose()).min(1),
}).loose();
export type ConnectReturn = z.infer<typeof ConnectReturnSchema>;

/** `origin` of every upsert: one store per call. */
export interface ConnectOrigin {
  channel_id: string;
  channel_store_id: string;
}
