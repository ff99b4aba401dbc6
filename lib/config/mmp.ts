import * as z from 'zod';
import { runtimeSchema } from './aws.js';
import { always, flag, jsonText, oneOf, readSections, text, url } from './read.js';

/** The marketplace (MMP): its URL, its shops and keys, and its own rules. */

/** One `MMP_STORES` entry: the marketplace shop serving a Connect `channel_store_id`. */
const storeSchema = z
  .object({
    shop_id: z.union([text, z.number().int()]).transform(String).optional(),
    api_key: text.optional(),
    api_key_param: text.optional(),
  })
  .refine((store) => (store.api_key === undefined) !== (store.api_key_param === undefined), {
    message: 'each store needs exactly one of api_key or api_key_param',
  });

export const storesSchema = z.record(text, storeSchema);

export type StoreEntry = z.infer<typeof storeSchema>;

/** RT21's `rejection_reason_code` values. */
const MMP_RETURN_REJECTION_CODES = [
  'RETURN_REJECTION_NOT_ELIGIBLE',
  'RETURN_REJECTION_NOT_NEEDED',
  'RETURN_REJECTION_WINDOW_CLOSED',
] as const;

const DEFAULT_RETURN_REJECTION_REASONS: Record<string, (typeof MMP_RETURN_REJECTION_CODES)[number]> = {
  RETURN_WINDOW_CLOSED: 'RETURN_REJECTION_WINDOW_CLOSED',
  NOT_ELIGIBLE_FOR_RETURN: 'RETURN_REJECTION_NOT_ELIGIBLE',
};

export const mmpSchema = z
  .object({
    MMP_API_URL: url,
    MMP_API_KEY: text.optional(),
    MMP_API_KEY_PARAM: text.optional(),
    /** `shop_id` query parameter, for an API key that has several shops. */
    MMP_SHOP_ID: text.optional(),
    /** Single-store mode: the `channel_store_id` served; events for another store are FAILED DATA_NOT_FOUND. */
    MMP_STORE_ID: text.optional(),
    /** Multi-store mode: JSON map `channel_store_id → {shop_id, api_key | api_key_param}`. */
    MMP_STORES: jsonText(storesSchema).optional(),
    MMP_STORES_PARAM: text.optional(),
    /** JSON map carrier name (as Connect sends it) → MMP `carrier_code`; matched case-insensitively. */
    MMP_CARRIER_CODES: jsonText(z.record(text, text)).default({}),
    /** Also match carrier names against the marketplace's carrier list (SH21, cached for an hour). */
    MMP_CARRIER_LOOKUP: flag.default(true),
    /**
     * JSON maps Connect `reason` (e.g. `OUT_OF_STOCK`) → the marketplace's `reason_code` for partial
     * cancelations (OR30) and refunds (OR28), over the codes matched on the labels of the operator's reasons
     * (RE01, lib/channel/mmp/reasons/). Needed only for a reason whose label the connector does not recognise.
     */
    MMP_CANCELATION_REASON_CODES: jsonText(z.record(text, text)).default({}),
    MMP_REFUND_REASON_CODES: jsonText(z.record(text, text)).default({}),
    /**
     * JSON map Connect `rejection_reason` → MMP `rejection_reason_code` (RT21), over defaults for the reasons
     * that have an obvious match. FINAL_SALES and OTHER have none: unless mapped, refusing a return for them
     * is FAILED INVALID_INPUT.
     */
    MMP_RETURN_REJECTION_REASONS: jsonText(z.record(text, z.enum(MMP_RETURN_REJECTION_CODES)))
      .default({})
      .transform((configured) => ({ ...DEFAULT_RETURN_REJECTION_REASONS, ...configured })),
    /** The operator enabled multi-shipment (ST01): partial shipments are sent as shipments, not refused. */
    MMP_MULTI_SHIPMENT: flag.default(false),
    /**
     * JSON map Connect `document_type` → MMP `type_code` (OR74), over the adapter's defaults (CUSTOMER_INVOICE →
     * CUSTOMER_INVOICE, RETURN_LABEL → SYSTEM_RETURN_LABEL). Type codes are the operator's own (DO01 lists them).
     */
    MMP_DOCUMENT_TYPE_CODES: jsonText(z.record(text, text)).default({}),
  })
  .superRefine((env, ctx) => {
    const multiStore = env.MMP_STORES !== undefined || env.MMP_STORES_PARAM !== undefined;
    if (!multiStore) oneOf('MMP_API_KEY', 'MMP_API_KEY_PARAM')(env, ctx);
    if (env.MMP_STORES !== undefined && env.MMP_STORES_PARAM !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['MMP_STORES'], message: 'set MMP_STORES or MMP_STORES_PARAM, not both' });
    }
  }, always);

/** The marketplace variables alone, for tools that read the marketplace (`npm run ops -- reasons`). */
export const readMmpConfig = (env: NodeJS.ProcessEnv = process.env) =>
  readSections({ mmp: mmpSchema, runtime: runtimeSchema }, env);

export type MmpConfig = z.infer<typeof mmpSchema>;
