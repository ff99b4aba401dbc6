import {
  ConnectAdjustmentReason,
  type ConnectAddress,
  type ConnectAdjustment,
  type ConnectAdjustmentType,
  type ConnectCustomAttribute,
  type ConnectMoney,
  type ConnectOrder,
  type ConnectOrderLine,
  type ConnectShippingInfo,
  type ConnectTax,
} from '../../connect/channel-orders.js';
import type {
  MmpAdditionalField,
  MmpImportedAddress,
  MmpImportedAdjustment,
  MmpImportedOrder,
  MmpImportedOrderLine,
  MmpImportedTax,
} from './imported-order.js';
import { connectStateOf, type StateFacts } from './imported-states.js';

export { toConnectReturn } from './return-mapping.js';

/** The marketplace's reason code of a cancelation or refund → Connect's adjustment `reason` (closed enum). */
export type ConnectReasonOf = (kind: 'CANCELATION' | 'REFUND', reasonCode: string | null | undefined) => string;

export interface OrderMappingOptions {
  /** Default: every reason is CHANNEL_SPECIFIC. A reason outside Connect's enum is CHANNEL_SPECIFIC too. */
  reasonOf?: ConnectReasonOf;
  /** Where MMP's relative `media_url`s live (the marketplace's address); without it only absolute ones are kept. */
  mediaBaseUrl?: string;
}

/**
 * MMP order (read with `order_tax_mode=TAX_EXCLUDED`) → the complete Connect order (MIRAKL-SYNC.md §6.1–6.3), a
 * pure function: every line, every cancelation and refund ever made as an adjustment, stamped with the
 * marketplace's own `last_updated_date` (invariant 13). Quantities and prices are the ordered ones: Connect
 * subtracts the CANCELATION adjustments itself (README, "Importing orders: mapping decisions").
 */
export const toConnectOrder = (order: MmpImportedOrder, options: OrderMappingOptions = {}): ConnectOrder => {
  const currency = order.currency_iso_code;
  const reasonOf = options.reasonOf ?? (() => 'CHANNEL_SPECIFIC');
  const lines = order.order_lines.map((line) =>
    toConnectLine(order, line, { currency, reasonOf, mediaBaseUrl: options.mediaBaseUrl }),
  );
  const billing = addressOf(order.customer?.billing_address);
  const customAttributes = customAttributesOf(order.order_additional_fields);
  return {
    channel_order_id: order.order_id,
    channel_updated_at: order.last_updated_date,
    created_at: order.created_date,
    ...connectStateOf(order.order_state, factsOf(order)),
    fulfillment: fulfillmentOf(order),
    shipping_info: shippingInfoOf(order),
    ...(billing && { billing_info: { address: billing } }),
    order_lines: lines,
    has_incident:
      Boolean(order.has_incident) || order.order_lines.some((line) => line.order_line_state === 'INCIDENT_OPEN'),
    ...(order.channel?.code && { sub_channel_code: order.channel.code }),
    ...(customAttributes.length > 0 && { custom_attributes: customAttributes }),
  };
};

interface LineContext {
  currency: string;
  reasonOf: ConnectReasonOf;
  mediaBaseUrl: string | undefined;
}

const toConnectLine = (order: MmpImportedOrder, line: MmpImportedOrderLine, context: LineContext): ConnectOrderLine => {
  const { currency } = context;
  const state = connectStateOf(line.order_line_state, factsOf(order, line));
  const thumbnail = thumbnailOf(line, context.mediaBaseUrl);
  const adjustments = [
    ...(line.cancelations ?? []).map((cancelation) => adjustmentOf('CANCELATION', cancelation, context)),
    ...(line.refunds ?? []).map((refund) => adjustmentOf('REFUND', refund, context)),
  ];
  const customAttributes = customAttributesOf(line.order_line_additional_fields);
  return {
    channel_order_line_id: line.order_line_id,
    created_at: line.created_date,
    updated_at: line.last_updated_date,
    product: { id: line.offer_sku, title: line.product_title, ...(thumbnail && { thumbnail_url: thumbnail }) },
    quantity: line.quantity,
    price: money(line.price, currency),
    total_shipping_price: money(line.shipping_price, currency),
    ...taxFields(line, currency),
    ...state,
    // MMP has no line-level flag: the order's, except on a line that is over.
    can_cancel: (order.can_cancel ?? false) && state.status !== 'CLOSED',
    can_refund: line.can_refund ?? false,
    ...(adjustments.length > 0 && { adjustments }),
    ...(customAttributes.length > 0 && { custom_attributes: customAttributes }),
  };
};

const factsOf = (order: MmpImportedOrder, line?: MmpImportedOrderLine): StateFacts => ({
  fullyRefunded: order.fully_refunded ?? false,
  acceptanceDecided: Boolean(order.acceptance_decision_date),
  shipped: Boolean(line?.shipped_date),
  received: Boolean(line?.received_date),
});

/**
 * A cancelation or refund → an adjustment. MMP numbers cancelations and refunds separately, so the id carries
 * the kind (`cancelation-1122`, `refund-1106`): this prefix is a contract with Connect, changing it would
 * duplicate every adjustment already imported. A refund is sent whatever its `refund_state` (README, Q4).
 */
const adjustmentOf = (
  type: ConnectAdjustmentType,
  entry: MmpImportedAdjustment,
  { currency, reasonOf }: LineContext,
): ConnectAdjustment => {
  const reason = ConnectAdjustmentReason.safeParse(reasonOf(type, entry.reason_code));
  return {
    channel_adjustment_id: `${type.toLowerCase()}-${entry.id}`,
    type,
    reason: reason.success ? reason.data : 'CHANNEL_SPECIFIC',
    created_at: entry.created_date,
    quantity: entry.quantity ?? 0,
    price: money(entry.amount, currency),
    shipping_price: money(entry.shipping_amount, currency),
    ...taxFields(entry, currency),
  };
};

const money = (amount: number | null | undefined, currency: string): ConnectMoney => ({
  amount: amount ?? 0,
  currency,
});

const taxFields = (
  source: { taxes?: MmpImportedTax[] | null; shipping_taxes?: MmpImportedTax[] | null },
  currency: string,
) => ({
  ...(source.taxes?.length && { taxes: source.taxes.map((tax) => taxOf(tax, currency)) }),
  ...(source.shipping_taxes?.length && { shipping_taxes: source.shipping_taxes.map((tax) => taxOf(tax, currency)) }),
});

/** MMP rates are percentages (17.5), Connect's decimal fractions (0.175); toPrecision drops the float noise. */
const taxOf = (tax: MmpImportedTax, currency: string): ConnectTax => ({
  code: tax.code,
  amount: money(tax.amount, currency),
  ...(typeof tax.rate === 'number' && { rate: Number((tax.rate / 100).toPrecision(12)) }),
});

/**
 * `can_shop_ship` alone is also false on orders past shipping (the vendor's RECEIVED example): only a named
 * fulfillment center the shop cannot ship for makes it a partner's order. A seller's order typed as a partner's
 * could not be shipped from Connect at all, so the doubt goes to the seller.
 */
const fulfillmentOf = (order: MmpImportedOrder): ConnectOrder['fulfillment'] => {
  const center = order.fulfillment?.center?.code;
  if (order.can_shop_ship !== false || !center) return { type: 'FULFILLED_BY_SELLER' };
  return { type: 'FULFILLED_BY_PARTNER', code: center };
};

/** Always an object (Connect requires it); the address only once MMP shows it (null before shipping or acceptance). */
const shippingInfoOf = (order: MmpImportedOrder): ConnectShippingInfo => {
  const address = addressOf(order.customer?.shipping_address);
  const carrier = order.shipping_company ?? order.shipping_carrier_code;
  const method = order.shipping_type_label ?? order.shipping_type_code;
  const { earliest, latest } = order.delivery_date ?? {};
  return {
    ...(address && { address }),
    ...(order.customer_notification_email && { email: order.customer_notification_email }),
    ...(carrier && { carrier }),
    ...(method && { method }),
    ...(order.shipping_pudo_id && { pudo_id: order.shipping_pudo_id }),
    ...(order.shipping_deadline && { shipping_deadline: order.shipping_deadline }),
    ...(earliest && latest && { delivery_date: { earliest, latest } }),
  };
};

const addressOf = (address: MmpImportedAddress | null | undefined): ConnectAddress | undefined => {
  if (!address) return undefined;
  const company = [address.company, address.company_2].filter(Boolean).join(', ');
  return {
    // Required by Connect: when MMP lacks one, validation parks the order naming the field.
    last_name: address.lastname as string,
    street: address.street_1 as string,
    city: address.city as string,
    ...present({
      first_name: address.firstname,
      company,
      street_additional_info: address.street_2,
      zip_code: address.zip_code,
      state: address.state,
      country: address.country,
      country_iso_code: address.country_iso_code,
      phone: address.phone,
      additional_info: address.additional_info,
    }),
  };
};

/** The fields that hold a non-empty string. */
const present = <K extends string>(fields: Record<K, string | null | undefined>): Partial<Record<K, string>> =>
  Object.fromEntries(
    Object.entries(fields).filter(([, value]) => typeof value === 'string' && value !== ''),
  ) as Partial<Record<K, string>>;

/** The SMALL picture if MMP has one, else the first, as an absolute URL. */
const thumbnailOf = (line: MmpImportedOrderLine, baseUrl: string | undefined): string | undefined => {
  const medias = line.product_medias ?? [];
  const media = medias.find((candidate) => candidate.type === 'SMALL') ?? medias[0];
  if (!media) return undefined;
  const url = URL.parse(media.media_url, baseUrl);
  return url && /^https?:$/.test(url.protocol) ? url.href : undefined;
};

/**
 * MMP custom fields → Connect custom attributes. MMP sends every value as a string (a list of them for
 * MULTIPLE_VALUES_LIST): NUMERIC, BOOLEAN and DATE become typed when the text is one, else they stay STRING so
 * nothing is lost; an empty list or value is left out (Connect requires a value, a list of at least one).
 */
const customAttributesOf = (fields: MmpAdditionalField[] | null | undefined): ConnectCustomAttribute[] =>
  (fields ?? []).flatMap((field) => {
    const attribute = customAttributeOf(field);
    return attribute ? [attribute] : [];
  });

const customAttributeOf = ({ code: id, type, value }: MmpAdditionalField): ConnectCustomAttribute | undefined => {
  if (Array.isArray(value)) return value.length > 0 ? { id, type: 'LIST', value } : undefined;
  if (value === null || value === undefined || value === '') return undefined;
  if (type === 'LIST') return { id, type: 'LIST', value: [value] };
  if (type === 'NUMERIC' && /^-?\d+(\.\d+)?$/.test(value) && Math.abs(Number(value)) <= 1_000_000_000)
    return { id, type: 'NUMERIC', value: Number(value) };
  if (type === 'BOOLEAN' && (value === 'true' || value === 'false'))
    return { id, type: 'BOOLEAN', value: value === 'true' };
  if (type === 'DATE' && ISO_DATE_TIME.test(value)) return { id, type: 'DATE', value };
  return { id, type: 'STRING', value };
};

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
