import { z } from 'zod';

/**
 * Orders (OR11, OR15 export files; the purchase-order service answers the same shape) and returns (RT11) as the
 * import reads them: lenient, unknown fields and enum values tolerated. Unlike `MmpOrder` (client.ts), these keep
 * the customer's personal data, because Connect needs it: never log them.
 * STUB (interface only): the import-mapping work completes these schemas.
 */
export const MmpImportedOrderSchema = z.object({
  order_id: z.string(),
  order_state: z.string(),
  created_date: z.string(),
  last_updated_date: z.string(),
  order_lines: z.array(z.object({ order_line_id: z.string() }).loose()),
}).loose();
export type MmpImportedOrder = z.infer<typeof MmpImportedOrderSchema>;

export const MmpImportedReturnSchema = z.object({
  id: z.string(),
  order_id: z.string(),
  date_created: z.string(),
  last_updated: z.string(),
  documents: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), type: z.string() }).loose()).nullish(),
}).loose();
export type MmpImportedReturn = z.infer<typeof MmpImportedReturnSchema>;
