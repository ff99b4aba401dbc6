import * as z from 'zod';
import { always, oneOf, positiveInt, readSections, text, url } from './read.js';

/** Where orderRefresh reads the orders it re-imports. */

/** The purchase-order service (seed 002) and its OAuth2 client (client credentials). */
const purchaseOrderSchema = z
  .object({
    PURCHASE_ORDER_API_URL: url,
    PURCHASE_ORDER_AUTH_URL: url,
    PURCHASE_ORDER_CLIENT_ID: text,
    PURCHASE_ORDER_CLIENT_SECRET: text.optional(),
    PURCHASE_ORDER_CLIENT_SECRET_PARAM: text.optional(),
    /** Orders read from the service at the same time by one invocation (one call per order). */
    PURCHASE_ORDER_CONCURRENCY: positiveInt.default(5),
  })
  .superRefine(oneOf('PURCHASE_ORDER_CLIENT_SECRET', 'PURCHASE_ORDER_CLIENT_SECRET_PARAM'), always);

export type PurchaseOrderConfig = z.infer<typeof purchaseOrderSchema>;

const orderSourceSchema = z.object({
  /** Where orderRefresh reads the orders it re-imports: the marketplace (OR11) or the purchase-order service. */
  ORDER_SOURCE: z.enum(['mmp', 'purchase-order'], { error: 'must be mmp or purchase-order' }).default('mmp'),
});

/** ORDER_SOURCE, and the purchase-order service's variables, required only when it is the source. */
export const readOrderSourceConfig = (env: NodeJS.ProcessEnv = process.env): OrderSourceConfig => {
  const { source } = readSections({ source: orderSourceSchema }, env);
  if (source.ORDER_SOURCE === 'mmp') return { ORDER_SOURCE: 'mmp' };
  return {
    ORDER_SOURCE: 'purchase-order',
    purchaseOrder: readSections({ purchaseOrder: purchaseOrderSchema }, env).purchaseOrder,
  };
};

export type OrderSourceConfig =
  | { ORDER_SOURCE: 'mmp' }
  | { ORDER_SOURCE: 'purchase-order'; purchaseOrder: PurchaseOrderConfig };
