import * as z from 'zod';

/**
 * What the import sends to Connect: `OrderRequest` of upsertOrders and `ReturnRequest` of upsertReturns
 * (contracts/mirakl-connect-channel-openapi.json), as zod schemas with the spec's documented constraints, so an
 * order is validated before it is sent (invariant 15) and a failure names the field (`describeInvalid`).
 * Objects are not strict: the spec does not forbid other fields.
 */

export const CONNECT_ORDER_STATUSES = [
  'AWAITING_ACCEPTANCE',
  'AWAITING_FRAUD_CHECK',
  'AWAITING_PAYMENT',
  'AWAITING_SHIPMENT',
  'CHANNEL_SPECIFIC',
  'CLOSED',
  'DELIVERED',
  'SHIPPED',
] as const;
export const ConnectOrderStatus = z.enum(CONNECT_ORDER_STATUSES);
export type ConnectOrderStatus = z.infer<typeof ConnectOrderStatus>;

export const ConnectStatusReason = z.enum([
  'ACCEPTANCE_TIMEOUT',
  'AUTOMATICALLY_CLOSED',
  'CANCELED',
  'FRAUD_CHECK_FAILED',
  'FRAUD_CHECK_TIMEOUT',
  'PAYMENT_TIMEOUT',
  'REFUNDED',
  'REFUSED',
  'REFUSED_PAYMENT',
]);
export type ConnectStatusReason = z.infer<typeof ConnectStatusReason>;

export const ConnectAdjustmentType = z.enum(['REFUND', 'CANCELATION']);
export type ConnectAdjustmentType = z.infer<typeof ConnectAdjustmentType>;

export const ConnectAdjustmentReason = z.enum([
  'CUSTOMER_CANCELATION',
  'OUT_OF_STOCK',
  'RETURN',
  'ITEM_NOT_RECEIVED',
  'AGREEMENT',
  'DEFECT',
  'UNABLE_TO_DELIVER',
  'CHANNEL_SPECIFIC',
]);
export type ConnectAdjustmentReason = z.infer<typeof ConnectAdjustmentReason>;

export const ConnectReturnStatus = z.enum([
  'REQUEST_INITIATED',
  'REQUEST_DECLINED',
  'OPENED',
  'RECEIVED',
  'CLOSED',
  'CHANNEL_SPECIFIC',
]);
export type ConnectReturnStatus = z.infer<typeof ConnectReturnStatus>;

export const ConnectReturnRejection = z.enum([
  'RETURN_WINDOW_CLOSED',
  'NOT_ELIGIBLE_FOR_RETURN',
  'FINAL_SALES',
  'OTHER',
]);
export type ConnectReturnRejection = z.infer<typeof ConnectReturnRejection>;

export const ConnectReturnLineReason = z.enum([
  'WRONG_ITEM',
  'MISSING_ITEM',
  'DEFECTIVE_ITEM',
  'DAMAGED_ITEM',
  'UNWANTED_ITEM',
  'OTHER',
]);
export type ConnectReturnLineReason = z.infer<typeof ConnectReturnLineReason>;

const dateTime = z.iso.datetime({ offset: true });
const alpha3 = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166-1 alpha-3 country code (e.g. FRA)');

export const ConnectMoney = z.object({
  amount: z.number().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code (e.g. EUR)'),
});
export type ConnectMoney = z.infer<typeof ConnectMoney>;

export const ConnectTax = z.object({
  code: z.string(),
  amount: ConnectMoney,
  /** A decimal fraction: 0.2 is 20 %. */
  rate: z.number().optional(),
  seller_collectible: ConnectMoney.optional(),
  channel_collectible: ConnectMoney.optional(),
});
export type ConnectTax = z.infer<typeof ConnectTax>;

const attribute = <T extends string, V extends z.ZodType>(type: T, value: V) =>
  z.object({ id: z.string().min(1).max(255), type: z.literal(type), value });

export const ConnectCustomAttribute = z.discriminatedUnion('type', [
  attribute('STRING', z.string().max(100_000)),
  attribute('NUMERIC', z.number().min(-1_000_000_000).max(1_000_000_000)),
  attribute('BOOLEAN', z.boolean()),
  attribute('DATE', dateTime),
  attribute('LIST', z.array(z.string().max(10_000)).min(1).max(1000)),
]);
export type ConnectCustomAttribute = z.infer<typeof ConnectCustomAttribute>;
const customAttributes = z.array(ConnectCustomAttribute).max(1000);

export const ConnectAddress = z.object({
  first_name: z.string().optional(),
  last_name: z.string(),
  company: z.string().optional(),
  street: z.string(),
  street_additional_info: z.string().optional(),
  zip_code: z.string().optional(),
  city: z.string(),
  state: z.string().optional(),
  country: z.string().optional(),
  country_iso_code: alpha3.optional(),
  phone: z.string().optional(),
  additional_info: z.string().optional(),
});
export type ConnectAddress = z.infer<typeof ConnectAddress>;

export const ConnectAdjustment = z.object({
  channel_adjustment_id: z.string(),
  type: ConnectAdjustmentType,
  reason: ConnectAdjustmentReason,
  created_at: dateTime,
  quantity: z.number().int(),
  price: ConnectMoney,
  shipping_price: ConnectMoney,
  taxes: z.array(ConnectTax).optional(),
  shipping_taxes: z.array(ConnectTax).optional(),
});
export type ConnectAdjustment = z.infer<typeof ConnectAdjustment>;

export const ConnectOrderLine = z.object({
  channel_order_line_id: z.string(),
  created_at: dateTime,
  updated_at: dateTime,
  product: z.object({ id: z.string(), title: z.string(), thumbnail_url: z.url().optional() }),
  quantity: z.number().int(),
  price: ConnectMoney,
  total_shipping_price: ConnectMoney,
  taxes: z.array(ConnectTax).optional(),
  shipping_taxes: z.array(ConnectTax).optional(),
  status: ConnectOrderStatus,
  status_reason: ConnectStatusReason.optional(),
  can_cancel: z.boolean(),
  can_refund: z.boolean(),
  adjustments: z.array(ConnectAdjustment).optional(),
  custom_attributes: customAttributes.optional(),
});
export type ConnectOrderLine = z.infer<typeof ConnectOrderLine>;

export const ConnectShippingInfo = z.object({
  address: ConnectAddress.optional(),
  email: z.email().optional(),
  carrier: z.string().optional(),
  method: z.string().optional(),
  pudo_id: z.string().optional(),
  shipping_deadline: dateTime.optional(),
  delivery_date: z.object({ earliest: dateTime, latest: dateTime }).optional(),
});
export type ConnectShippingInfo = z.infer<typeof ConnectShippingInfo>;

export const ConnectOrderSchema = z.object({
  channel_order_id: z.string().min(1),
  channel_updated_at: dateTime,
  created_at: dateTime,
  status: ConnectOrderStatus,
  status_reason: ConnectStatusReason.optional(),
  fulfillment: z.object({ type: z.enum(['FULFILLED_BY_SELLER', 'FULFILLED_BY_PARTNER']), code: z.string().optional() }),
  shipping_info: ConnectShippingInfo,
  billing_info: z.object({ address: ConnectAddress.optional() }).optional(),
  order_lines: z.array(ConnectOrderLine).min(1),
  has_incident: z.boolean().optional(),
  sub_channel_code: z.string().optional(),
  custom_attributes: customAttributes.optional(),
});
export type ConnectOrder = z.infer<typeof ConnectOrderSchema>;

export const ConnectReturnSchema = z.object({
  channel_order_id: z.string().min(1),
  channel_return_id: z.string().min(1),
  channel_updated_at: dateTime,
  created_at: dateTime,
  status: ConnectReturnStatus,
  rejection_reason: ConnectReturnRejection.optional(),
  return_lines: z
    .array(z.object({ channel_order_line_id: z.string(), quantity: z.number().int(), reason: ConnectReturnLineReason }))
    .min(1),
  rma_id: z.string().optional(),
  label_url: z.string().optional(),
  method: z.string().optional(),
  tracking: z
    .object({
      carrier_name: z.string().optional(),
      tracking_number: z.string().optional(),
      tracking_url: z.string().optional(),
    })
    .optional(),
  address: z
    .object({
      street: z.string(),
      street_additional_info: z.string().optional(),
      city: z.string(),
      state: z.string().optional(),
      zip_code: z.string().optional(),
      country: z.string().optional(),
      country_iso_code: alpha3,
    })
    .optional(),
  sub_channel_code: z.string().optional(),
});
export type ConnectReturn = z.infer<typeof ConnectReturnSchema>;

/** `origin` of every upsert: one store per call. */
export const ConnectOriginSchema = z.object({ channel_id: z.string(), channel_store_id: z.string() });
export type ConnectOrigin = z.infer<typeof ConnectOriginSchema>;

/** At most this many orders or returns in one upsertOrders or upsertReturns call (spec: 1..100). */
export const MAX_UPSERT_ITEMS = 100;

export const UpsertOrdersRequestSchema = z.object({
  origin: ConnectOriginSchema,
  orders: z.array(ConnectOrderSchema).min(1).max(MAX_UPSERT_ITEMS),
});
export type UpsertOrdersRequest = z.infer<typeof UpsertOrdersRequestSchema>;

export const UpsertReturnsRequestSchema = z.object({
  origin: ConnectOriginSchema,
  returns: z.array(ConnectReturnSchema).min(1).max(MAX_UPSERT_ITEMS),
});
export type UpsertReturnsRequest = z.infer<typeof UpsertReturnsRequestSchema>;

/**
 * Why a body is invalid, field by field as JSON paths (`order_lines[0].price.amount Too small…`): no values, so no
 * personal data, only where and what.
 */
export const describeInvalidBody = (error: z.ZodError): string =>
  error.issues.map((issue) => `${pathOf(issue.path)} ${issue.message}`).join('; ');

const pathOf = (path: PropertyKey[]): string =>
  path.reduce<string>(
    (joined, key) => (typeof key === 'number' ? `${joined}[${key}]` : `${joined}${joined ? '.' : ''}${String(key)}`),
    '',
  ) || '(body)';
