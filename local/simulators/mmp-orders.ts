import * as z from 'zod';

export const MMP_ORDER_STATES = [
  'STAGING',
  'WAITING_ACCEPTANCE',
  'WAITING_DEBIT',
  'WAITING_DEBIT_PAYMENT',
  'SHIPPING',
  'SHIPPED',
  'TO_COLLECT',
  'RECEIVED',
  'CLOSED',
  'REFUSED',
  'CANCELED',
] as const;
export type MmpOrderState = (typeof MMP_ORDER_STATES)[number];
/** A line has the order's states and a few of its own (the last two deprecated, still listed). */
export const MMP_LINE_STATES = [
  ...MMP_ORDER_STATES,
  'INCIDENT_OPEN',
  'REFUNDED',
  'WAITING_REFUND',
  'WAITING_REFUND_PAYMENT',
] as const;
export type MmpLineState = (typeof MMP_LINE_STATES)[number];

/** Personal data OR11 returns: the connector must never log it. */
export const MmpCustomerSchema = z.object({
  firstname: z.string(),
  lastname: z.string(),
  email: z.string(),
  phone: z.string(),
  street_1: z.string(),
  zip_code: z.string(),
  city: z.string(),
  country_iso_code: z.string(),
});
export type MmpCustomer = z.infer<typeof MmpCustomerSchema>;

export const SAMPLE_CUSTOMER: MmpCustomer = {
  firstname: 'Camille',
  lastname: 'Durand',
  email: 'camille.durand@example.com',
  phone: '+33 6 12 34 56 78',
  street_1: '12 rue des Lilas',
  zip_code: '75011',
  city: 'Paris',
  country_iso_code: 'FRA',
};

/** What a test says about an order; `buildMmpOrder` fills in the rest of OR11's fields. */
export const MmpOrderInputSchema = z.object({
  order_id: z.string().min(1),
  order_state: z.enum(MMP_ORDER_STATES).default('WAITING_ACCEPTANCE'),
  /** When the customer placed it (now when omitted): OR11 sorts and filters on it. */
  created_date: z.iso.datetime({ offset: true }).optional(),
  /** Its last change (its creation when omitted); every later change moves it forward. */
  last_updated_date: z.iso.datetime({ offset: true }).optional(),
  /** The sales channel it came from; none when null. */
  channel: z
    .object({ code: z.string().min(1), label: z.string().min(1) })
    .nullable()
    .default({ code: 'FR', label: 'France' }),
  order_additional_fields: z
    .array(
      z.object({ code: z.string().min(1), type: z.enum(['STRING', 'NUMERIC', 'BOOLEAN', 'DATE']), value: z.string() }),
    )
    .default([{ code: 'customer-segment', type: 'STRING', value: 'retail' }]),
  /** The shop the order belongs to; the first shop's when omitted. */
  shopId: z.string().optional(),
  order_lines: z
    .array(
      z.object({
        order_line_id: z.string().min(1),
        offer_sku: z.string().min(1),
        quantity: z.number().int().positive(),
        /** The order's state when omitted. */
        order_line_state: z.enum(MMP_LINE_STATES).optional(),
        /** Tax excluded. */
        price_unit: z.number().nonnegative().default(19.99),
        /** The VAT rate of the product and its shipping, in percent as MMP gives it. */
        tax_rate: z.number().nonnegative().default(20),
      }),
    )
    .min(1),
  /** The shop's currency: OR28/OR30 amounts must be in it. */
  currency_iso_code: z.string().length(3).default('EUR'),
  shipping_tracking: z.string().optional(),
  shipping_carrier_code: z.string().optional(),
  shipping_company: z.string().optional(),
  shipping_tracking_url: z.string().optional(),
  customer: MmpCustomerSchema.default(SAMPLE_CUSTOMER),
});
export type MmpOrderInput = z.input<typeof MmpOrderInputSchema>;

export interface MmpAddress {
  firstname: string;
  lastname: string;
  street_1: string;
  zip_code: string;
  city: string;
  country: string;
  country_iso_code: string;
  phone: string;
}

/** A tax of an order line, as OR11 lists it (`rate` in percent). */
export interface MmpLineTax {
  code: string;
  amount: number;
  rate: number;
  tax_calculation_rule: 'PROPORTIONAL_TO_AMOUNT';
}

export interface MmpOrderLine {
  order_line_id: string;
  order_line_index: number;
  order_line_state: MmpLineState;
  offer_id: number;
  offer_sku: string;
  offer_state_code: string;
  product_sku: string;
  product_title: string;
  description: string;
  category_code: string;
  category_label: string;
  quantity: number;
  price_unit: number;
  price: number;
  shipping_price: number;
  /** Taxes on `price`, and on `shipping_price`. */
  taxes: MmpLineTax[];
  shipping_taxes: MmpLineTax[];
  total_price: number;
  commission_fee: number;
  commission_rate_vat: number;
  commission_vat: number;
  total_commission: number;
  can_refund: boolean;
  /** Added by OR29/OR30 (see mmp-adjustments.ts). */
  cancelations: MmpCancelation[];
  /** Added by OR28. */
  refunds: MmpRefund[];
  product_medias: [];
  order_line_additional_fields: [];
  created_date: string;
  last_updated_date: string;
  shipped_date?: string;
}

/** An amount of tax by code, as OR11 lists them on cancelations and refunds. */
export interface MmpTaxAmount {
  code: string;
  amount: number;
  rate?: number;
}

/** A cancelation on an order line, with the fields OR11 requires. */
export interface MmpCancelation {
  id: string;
  quantity: number;
  amount: number;
  shipping_amount: number;
  reason_code?: string;
  taxes: MmpTaxAmount[];
  shipping_taxes: MmpTaxAmount[];
  commission_amount: number;
  commission_taxes: [];
  commission_total_amount: number;
  created_date: string;
}

/** A refund on an order line, with the fields OR11 requires. */
export interface MmpRefund extends MmpCancelation {
  reason_code: string;
  order_refund_id: string;
  commission_tax_amount: number;
  state: 'WAITING_REFUND';
  refund_state: 'WAITING_REFUND';
}

/**
 * An order as the simulated marketplace holds it, amounts tax excluded; OR11 shows it through `viewOrder`
 * (mmp-order-query.ts): addresses null before acceptance, amounts in the tax mode asked.
 */
export interface MmpOrder {
  order_id: string;
  commercial_id: string;
  order_state: MmpOrderState;
  order_lines: MmpOrderLine[];
  customer: {
    customer_id: string;
    firstname: string;
    lastname: string;
    locale: string;
    billing_address: MmpAddress | null;
    shipping_address: MmpAddress | null;
  };
  customer_notification_email: string;
  currency_iso_code: string;
  order_tax_mode: 'TAX_EXCLUDED' | 'TAX_INCLUDED';
  channel?: { code: string; label: string };
  order_additional_fields: Array<{ code: string; type: string; value: string }>;
  payment_workflow: 'PAY_ON_ACCEPTANCE';
  payment_type: string;
  paymentType: string;
  price: number;
  shipping_price: number;
  total_price: number;
  total_commission: number;
  shipping_type_code: string;
  shipping_type_label: string;
  shipping_zone_code: string;
  shipping_zone_label: string;
  leadtime_to_ship: number;
  can_cancel: boolean;
  can_shop_ship: boolean;
  fully_refunded: boolean;
  has_customer_message: boolean;
  has_incident: boolean;
  has_invoice: boolean;
  fulfillment: { center: { code: string } };
  created_date: string;
  last_updated_date: string;
  shipping_deadline: string;
  delivery_date: { earliest: string; latest: string };
  acceptance_decision_date?: string;
  customer_debited_date?: string;
  shipping_carrier_code?: string;
  shipping_carrier_standard_code?: string;
  shipping_company?: string;
  shipping_tracking?: string;
  shipping_tracking_url?: string;
}

const LINE_SHIPPING_PRICE = 4.9;
const COMMISSION_RATE = 0.1;
const VAT_RATE = 20;
const DAY_MS = 86_400_000;
/** The states an order reaches once the shop has accepted it (a CANCELED order was canceled after acceptance). */
const ACCEPTED_STATES: readonly MmpOrderState[] = [
  'WAITING_DEBIT',
  'WAITING_DEBIT_PAYMENT',
  'SHIPPING',
  'SHIPPED',
  'TO_COLLECT',
  'RECEIVED',
  'CLOSED',
  'CANCELED',
];

let lastStamp = 0;

/**
 * A last-update date later than `previous` and than every date given before: each change to an order moves its
 * `last_updated_date` strictly forward, even two changes within one millisecond.
 */
export function updateStamp(previous?: string): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1, previous === undefined ? 0 : Date.parse(previous) + 1);
  return new Date(lastStamp).toISOString();
}

/** The taxes of an amount at `rate` percent, as MMP lists them on a line. */
export function lineTaxes(amount: number, rate: number): MmpLineTax[] {
  return [
    { code: `TVA-${rate}`, amount: round((amount * rate) / 100), rate, tax_calculation_rule: 'PROPORTIONAL_TO_AMOUNT' },
  ];
}

/** A realistic OR11 order, in the spirit of the spec's example, from a test's short description. */
export function buildMmpOrder(input: MmpOrderInput): MmpOrder {
  const order = MmpOrderInputSchema.parse(input);
  const created = order.created_date === undefined ? new Date() : new Date(order.created_date);
  const createdDate = created.toISOString();
  const lastUpdated =
    order.last_updated_date === undefined ? createdDate : new Date(order.last_updated_date).toISOString();
  const accepted = ACCEPTED_STATES.includes(order.order_state) || order.order_state === 'REFUSED';
  const decisionDate = new Date(Math.min(created.getTime() + 3_600_000, Date.parse(lastUpdated))).toISOString();
  const lines = order.order_lines.map((line, index): MmpOrderLine => {
    const price = round(line.price_unit * line.quantity);
    const commissionFee = round(price * COMMISSION_RATE);
    const commissionVat = round((commissionFee * VAT_RATE) / 100);
    return {
      order_line_id: line.order_line_id,
      order_line_index: index + 1,
      order_line_state: line.order_line_state ?? order.order_state,
      offer_id: 2000 + index,
      offer_sku: line.offer_sku,
      offer_state_code: '11',
      product_sku: `MKP-${line.offer_sku}`,
      product_title: `Product ${line.offer_sku}`,
      description: '',
      category_code: 'home',
      category_label: 'Home',
      quantity: line.quantity,
      price_unit: line.price_unit,
      price,
      shipping_price: LINE_SHIPPING_PRICE,
      taxes: lineTaxes(price, line.tax_rate),
      shipping_taxes: lineTaxes(LINE_SHIPPING_PRICE, line.tax_rate),
      total_price: round(price + LINE_SHIPPING_PRICE),
      commission_fee: commissionFee,
      commission_rate_vat: VAT_RATE,
      commission_vat: commissionVat,
      total_commission: round(commissionFee + commissionVat),
      can_refund: true,
      cancelations: [],
      refunds: [],
      product_medias: [],
      order_line_additional_fields: [],
      created_date: createdDate,
      last_updated_date: lastUpdated,
      ...(['SHIPPED', 'TO_COLLECT', 'RECEIVED', 'CLOSED', 'INCIDENT_OPEN'].includes(
        line.order_line_state ?? order.order_state,
      ) && { shipped_date: lastUpdated }),
    };
  });
  const { customer } = order;
  const address: MmpAddress = {
    firstname: customer.firstname,
    lastname: customer.lastname,
    street_1: customer.street_1,
    zip_code: customer.zip_code,
    city: customer.city,
    country: customer.country_iso_code,
    country_iso_code: customer.country_iso_code,
    phone: customer.phone,
  };
  const sum = (pick: (line: MmpOrderLine) => number) => round(lines.reduce((total, line) => total + pick(line), 0));
  return {
    order_id: order.order_id,
    commercial_id: order.order_id.replace(/-[A-Z]$/, ''),
    order_state: order.order_state,
    order_lines: lines,
    customer: {
      customer_id: `customer-${order.order_id}`,
      firstname: customer.firstname,
      lastname: customer.lastname,
      locale: 'fr_FR',
      billing_address: address,
      shipping_address: { ...address },
    },
    customer_notification_email: customer.email,
    currency_iso_code: order.currency_iso_code,
    order_tax_mode: 'TAX_EXCLUDED',
    ...(order.channel && { channel: order.channel }),
    order_additional_fields: order.order_additional_fields,
    payment_workflow: 'PAY_ON_ACCEPTANCE',
    payment_type: 'Visa',
    paymentType: 'Visa',
    price: sum((line) => line.price),
    shipping_price: sum((line) => line.shipping_price),
    total_price: sum((line) => line.total_price),
    total_commission: sum((line) => line.total_commission),
    shipping_type_code: 'STD',
    shipping_type_label: 'Standard',
    shipping_zone_code: 'FR',
    shipping_zone_label: 'France',
    leadtime_to_ship: 2,
    can_cancel: order.order_state === 'WAITING_ACCEPTANCE',
    can_shop_ship: order.order_state === 'SHIPPING',
    fully_refunded: false,
    has_customer_message: false,
    has_incident: lines.some((line) => line.order_line_state === 'INCIDENT_OPEN'),
    has_invoice: false,
    fulfillment: { center: { code: 'DEFAULT' } },
    created_date: createdDate,
    last_updated_date: lastUpdated,
    shipping_deadline: new Date(created.getTime() + 2 * DAY_MS).toISOString(),
    delivery_date: {
      earliest: new Date(created.getTime() + 3 * DAY_MS).toISOString(),
      latest: new Date(created.getTime() + 5 * DAY_MS).toISOString(),
    },
    ...(accepted && { acceptance_decision_date: decisionDate }),
    ...(ACCEPTED_STATES.includes(order.order_state) && { customer_debited_date: decisionDate }),
    ...definedOnly({
      shipping_carrier_code: order.shipping_carrier_code,
      shipping_company: order.shipping_company,
      shipping_tracking: order.shipping_tracking,
      shipping_tracking_url: order.shipping_tracking_url,
    }),
  };
}

export function round(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
