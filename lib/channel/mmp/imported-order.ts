import * as z from 'zod';

/**
 * Orders (OR11, OR15 export files; the purchase-order service answers the same shape) and returns (RT11) as the
 * import reads them (contracts/mirakl-mmp-seller-openapi.json `OR11_Response_200`, `RT11_Response_200`): lenient,
 * unknown fields and enum values tolerated, `nullish` wherever MMP may send null; only what the spec requires and
 * the mapping cannot do without is required. Unlike `MmpOrder` (client.ts), these keep the customer's personal
 * data, because Connect needs it: never log them. Parse orders one by one, so one bad order is parked alone.
 */

const text = z.string().nullish();
const amount = z.number().nullish();

const MmpImportedTax = z.object({ code: z.string(), amount: z.number(), rate: amount }).loose();
export type MmpImportedTax = z.infer<typeof MmpImportedTax>;
const taxes = z.array(MmpImportedTax).nullish();

const MmpImportedAddress = z
  .object({
    firstname: text,
    lastname: text,
    company: text,
    company_2: text,
    street_1: text,
    street_2: text,
    zip_code: text,
    city: text,
    state: text,
    country: text,
    country_iso_code: text,
    phone: text,
    additional_info: text,
  })
  .loose();
export type MmpImportedAddress = z.infer<typeof MmpImportedAddress>;

/** `order_additional_fields[]` / `order_line_additional_fields[]`: every value is a string, but a list's. */
const MmpAdditionalField = z
  .object({ code: z.string(), type: text, value: z.union([z.string(), z.array(z.string())]).nullish() })
  .loose();
export type MmpAdditionalField = z.infer<typeof MmpAdditionalField>;
const additionalFields = z.array(MmpAdditionalField).nullish();

/**
 * A cancelation or a refund of a line: both become Connect adjustments. A refund also has a `refund_state`, which
 * the mapping does not read (README, Q4).
 */
const MmpImportedAdjustment = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String),
    created_date: z.string(),
    amount,
    shipping_amount: amount,
    /** "Informative only" on MMP; 0 on amount-only adjustments. */
    quantity: amount,
    reason_code: text,
    taxes,
    shipping_taxes: taxes,
  })
  .loose();
export type MmpImportedAdjustment = z.infer<typeof MmpImportedAdjustment>;

const MmpImportedOrderLine = z
  .object({
    order_line_id: z.string(),
    order_line_state: z.string(),
    order_line_state_reason_code: text,
    created_date: z.string(),
    last_updated_date: z.string(),
    shipped_date: text,
    received_date: text,
    offer_sku: z.string(),
    product_title: z.string(),
    product_medias: z.array(z.object({ media_url: z.string(), type: text }).loose()).nullish(),
    quantity: z.number(),
    price: z.number(),
    shipping_price: amount,
    taxes,
    shipping_taxes: taxes,
    can_refund: z.boolean().nullish(),
    cancelations: z.array(MmpImportedAdjustment).nullish(),
    refunds: z.array(MmpImportedAdjustment).nullish(),
    order_line_additional_fields: additionalFields,
  })
  .loose();
export type MmpImportedOrderLine = z.infer<typeof MmpImportedOrderLine>;

export const MmpImportedOrderSchema = z
  .object({
    order_id: z.string(),
    order_state: z.string(),
    order_state_reason_code: text,
    created_date: z.string(),
    last_updated_date: z.string(),
    acceptance_decision_date: text,
    currency_iso_code: z.string(),
    channel: z.object({ code: z.string() }).loose().nullish(),
    can_cancel: z.boolean().nullish(),
    can_shop_ship: z.boolean().nullish(),
    fulfillment: z
      .object({ center: z.object({ code: text }).loose().nullish() })
      .loose()
      .nullish(),
    fully_refunded: z.boolean().nullish(),
    has_incident: z.boolean().nullish(),
    customer: z
      .object({ shipping_address: MmpImportedAddress.nullish(), billing_address: MmpImportedAddress.nullish() })
      .loose()
      .nullish(),
    customer_notification_email: text,
    shipping_company: text,
    shipping_carrier_code: text,
    shipping_type_label: text,
    shipping_type_code: text,
    shipping_pudo_id: text,
    shipping_deadline: text,
    delivery_date: z.object({ earliest: text, latest: text }).loose().nullish(),
    order_additional_fields: additionalFields,
    order_lines: z.array(MmpImportedOrderLine),
  })
  .loose();
export type MmpImportedOrder = z.infer<typeof MmpImportedOrderSchema>;

export const MmpImportedReturnSchema = z
  .object({
    id: z.string(),
    order_id: z.string(),
    date_created: z.string(),
    last_updated: z.string(),
    state: z.string(),
    reason_code: text,
    rejection_reason_code: text,
    rma: text,
    label_url: text,
    method_code: text,
    /** The spec names `carrier_name`/`carrier_code`; its example sends `carrierName`/`carrierCode`: both are read. */
    tracking: z
      .object({
        carrier_name: text,
        carrierName: text,
        carrier_code: text,
        carrierCode: text,
        tracking_number: text,
        tracking_url: text,
      })
      .loose()
      .nullish(),
    return_address: z
      .object({ street1: text, street2: text, city: text, state: text, zip_code: text, country_iso_code: text })
      .loose()
      .nullish(),
    return_lines: z.array(z.object({ order_line_id: z.string(), quantity: z.number(), reason_code: text }).loose()),
    documents: z
      .array(z.object({ id: z.union([z.string(), z.number()]).transform(String), type: z.string() }).loose())
      .nullish(),
  })
  .loose();
export type MmpImportedReturn = z.infer<typeof MmpImportedReturnSchema>;
