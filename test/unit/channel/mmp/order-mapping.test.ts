import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MmpImportedOrderSchema } from '../../../../lib/channel/mmp/imported-order.js';
import { toConnectOrder } from '../../../../lib/channel/mmp/order-mapping.js';
import {
  ConnectOrderSchema,
  describeInvalidBody,
  UpsertOrdersRequestSchema,
  type ConnectOrder,
} from '../../../../lib/connect/channel-orders.js';
import { createSpecValidator } from '../../../../local/simulators/spec-validator.js';
import { mmpOrder, mmpOrderIn, mmpOrderWithoutAddresses, vendorOr11Order } from '../../../fixtures/mmp-orders.js';

const connectSpec = createSpecValidator(
  fileURLToPath(new URL('../../../../contracts/mirakl-connect-channel-openapi.json', import.meta.url)),
);
const origin = { channel_id: '0024', channel_store_id: '2005' };
const upsertViolations = (orders: unknown[]) => connectSpec.validate('UpsertOrdersRequest', { origin, orders });

const lineOf = (order: ConnectOrder) => order.order_lines[0] as ConnectOrder['order_lines'][number];

describe('toConnectOrder: the vendor OR11 example', () => {
  const mapped = toConnectOrder(mmpOrder(), { mediaBaseUrl: 'https://marketplace.example.com' });
  const line = lineOf(mapped);

  it('keeps the marketplace ids and dates, and stamps channel_updated_at with MMP last_updated_date', () => {
    expect(mapped).toMatchObject({
      channel_order_id: 'Order_00010-A',
      created_at: '2019-04-02T14:18:43Z',
      channel_updated_at: '2019-04-02T14:59:58Z',
      sub_channel_code: 'US',
      has_incident: false,
    });
    expect(line).toMatchObject({
      channel_order_line_id: 'Order_00010-A-1',
      created_at: '2019-04-02T14:18:43Z',
      updated_at: '2019-04-02T14:59:58Z',
    });
  });

  it('sends shipping and billing as MMP shows them, the company on one line', () => {
    expect(mapped.shipping_info).toEqual({
      address: {
        first_name: 'Smith',
        last_name: 'Taylor',
        company: 'LIMARK Company, Paris branch',
        street: '113 MacDougal Street',
        street_additional_info: '1st floor',
        zip_code: 'NY 10012',
        city: 'New York',
        state: 'Manhattan',
        country: 'USA',
        country_iso_code: 'USA',
        additional_info: 'One article per box',
      },
      email: 'notification+ec1riop21ju4rfynl0helvzou.e0z0r7cj2@notification.mirakl.net',
      carrier: 'UPS',
      method: 'Standard',
      pudo_id: 'C1039',
      shipping_deadline: '2019-09-01T23:59:59.999Z',
      delivery_date: { earliest: '2019-09-02T08:07:22.326Z', latest: '2019-09-03T08:07:22.326Z' },
    });
    expect(mapped.billing_info?.address).toMatchObject({
      last_name: 'Taylor',
      street: '113 MacDougal Street',
      city: 'New York City',
    });
  });

  it('fulfills by the partner named by the fulfillment center when the shop cannot ship', () => {
    expect(mapped.fulfillment).toEqual({ type: 'FULFILLED_BY_PARTNER', code: 'FULFILLMENT_CENTER_CODE' });
  });

  it('sends the ordered quantity and tax-excluded prices in the order currency, taxes as decimal rates', () => {
    expect(line).toMatchObject({
      product: { id: 'S2000', title: 'Breville Cafe Roma Stainless Espresso/Cappuccino Machine - ESP8C' },
      quantity: 3,
      price: { amount: 165, currency: 'USD' },
      total_shipping_price: { amount: 8, currency: 'USD' },
    });
    expect(line.taxes).toEqual([
      { code: 'tax1', amount: { amount: 10, currency: 'USD' }, rate: 0.175 },
      { code: 'tax2', amount: { amount: 10, currency: 'USD' } },
    ]);
    expect(line.shipping_taxes?.[0]).toEqual({ code: 'tax1', amount: { amount: 10, currency: 'USD' }, rate: 0.175 });
  });

  it('takes the SMALL product picture, made absolute against the marketplace address', () => {
    expect(line.product.thumbnail_url).toBe(
      'https://marketplace.example.com/media/product/image/d3fd1d4e-a943-4df0-8878-3343ba139dd9',
    );
    expect(lineOf(toConnectOrder(mmpOrder())).product.thumbnail_url).toBeUndefined();
  });

  it('turns the cancelation into a CANCELATION adjustment and the pending refund into a REFUND one, ids prefixed by kind', () => {
    expect(line.adjustments).toEqual([
      {
        channel_adjustment_id: 'cancelation-1122',
        type: 'CANCELATION',
        reason: 'CHANNEL_SPECIFIC',
        created_at: '2022-08-04T09:37:58Z',
        quantity: 0,
        price: { amount: 12.34, currency: 'USD' },
        shipping_price: { amount: 1.23, currency: 'USD' },
        taxes: [
          { code: 'tax1', amount: { amount: 0.75, currency: 'USD' }, rate: 0.175 },
          { code: 'tax2', amount: { amount: 0.75, currency: 'USD' }, rate: 0.175 },
        ],
        shipping_taxes: [
          { code: 'tax1', amount: { amount: 1.54, currency: 'USD' }, rate: 0.175 },
          { code: 'tax2', amount: { amount: 1.54, currency: 'USD' }, rate: 0.175 },
        ],
      },
      expect.objectContaining({
        channel_adjustment_id: 'refund-1106',
        type: 'REFUND',
        created_at: '2022-08-04T09:40:41Z',
        price: { amount: 6.82, currency: 'USD' },
        shipping_price: { amount: 1.79, currency: 'USD' },
      }),
    ]);
  });

  it('carries the line custom field, a MULTIPLE_VALUES_LIST, as a LIST', () => {
    expect(line.custom_attributes).toEqual([{ id: 'delivery-countries', type: 'LIST', value: ['USA'] }]);
    expect(mapped.custom_attributes).toBeUndefined();
  });
});

describe('toConnectOrder: states (MIRAKL-SYNC.md §6.3)', () => {
  it.each([
    ['STAGING', { status: 'AWAITING_FRAUD_CHECK' }],
    ['WAITING_ACCEPTANCE', { status: 'AWAITING_ACCEPTANCE' }],
    ['WAITING_DEBIT', { status: 'AWAITING_PAYMENT' }],
    ['WAITING_DEBIT_PAYMENT', { status: 'AWAITING_PAYMENT' }],
    ['SHIPPING', { status: 'AWAITING_SHIPMENT' }],
    ['SHIPPED', { status: 'SHIPPED' }],
    ['TO_COLLECT', { status: 'SHIPPED' }],
    ['RECEIVED', { status: 'DELIVERED' }],
    ['CLOSED', { status: 'CLOSED', status_reason: 'AUTOMATICALLY_CLOSED' }],
    ['REFUSED', { status: 'CLOSED', status_reason: 'REFUSED' }],
    ['CANCELED', { status: 'CLOSED', status_reason: 'CANCELED' }],
    ['WAITING_REFUND', { status: 'CHANNEL_SPECIFIC' }],
    ['WAITING_REFUND_PAYMENT', { status: 'CHANNEL_SPECIFIC' }],
    ['ON_HOLD_SOMEDAY', { status: 'CHANNEL_SPECIFIC' }],
  ])('order and line %s → %o', (state, expected) => {
    const mapped = toConnectOrder(mmpOrderIn(state));
    // toEqual counts an undefined status_reason as absent.
    expect({ status: mapped.status, status_reason: mapped.status_reason }).toEqual(expected);
    expect({ status: lineOf(mapped).status, status_reason: lineOf(mapped).status_reason }).toEqual(expected);
    expect(ConnectOrderSchema.safeParse(mapped).success).toBe(true);
  });

  it('CLOSED and fully refunded → CLOSED, REFUNDED', () => {
    const mapped = toConnectOrder(
      mmpOrder({ order: { order_state: 'CLOSED', fully_refunded: true }, line: { order_line_state: 'CLOSED' } }),
    );
    expect([mapped.status, mapped.status_reason]).toEqual(['CLOSED', 'REFUNDED']);
  });

  it('REFUSED with no acceptance decision (refused automatically) → CLOSED, ACCEPTANCE_TIMEOUT', () => {
    const mapped = toConnectOrder(
      mmpOrder({
        order: { order_state: 'REFUSED', acceptance_decision_date: null },
        line: { order_line_state: 'REFUSED' },
      }),
    );
    expect([mapped.status, mapped.status_reason]).toEqual(['CLOSED', 'ACCEPTANCE_TIMEOUT']);
    expect([lineOf(mapped).status, lineOf(mapped).status_reason]).toEqual(['CLOSED', 'ACCEPTANCE_TIMEOUT']);
  });

  it('line REFUNDED → CLOSED, REFUNDED', () => {
    const line = lineOf(
      toConnectOrder(mmpOrder({ order: { order_state: 'RECEIVED' }, line: { order_line_state: 'REFUNDED' } })),
    );
    expect([line.status, line.status_reason]).toEqual(['CLOSED', 'REFUNDED']);
  });

  it.each([
    ['received', { received_date: '2019-04-02T14:59:58Z' }, 'DELIVERED'],
    ['shipped, not received', { received_date: null }, 'SHIPPED'],
    ['not shipped', { received_date: null, shipped_date: null }, 'CHANNEL_SPECIFIC'],
  ])('line INCIDENT_OPEN, %s → %s, and the order has an incident', (_case, dates, status) => {
    const mapped = toConnectOrder(
      mmpOrder({
        order: { order_state: 'SHIPPED', has_incident: false },
        line: { order_line_state: 'INCIDENT_OPEN', ...dates },
      }),
    );
    expect(lineOf(mapped).status).toBe(status);
    expect(mapped.has_incident).toBe(true);
  });

  it('lines keep their own state: one shipped, one canceled in a SHIPPED order', () => {
    const example = vendorOr11Order();
    const [line] = example.order_lines as Array<Record<string, unknown>>;
    const order = MmpImportedOrderSchema.parse({
      ...example,
      order_state: 'SHIPPED',
      can_cancel: true,
      order_lines: [
        { ...line, order_line_state: 'SHIPPED' },
        { ...line, order_line_id: 'Order_00010-A-2', order_line_state: 'CANCELED' },
      ],
    });
    const [shipped, canceled] = toConnectOrder(order).order_lines;
    expect(shipped).toMatchObject({ status: 'SHIPPED', can_cancel: true, can_refund: true });
    expect(canceled).toMatchObject({ status: 'CLOSED', status_reason: 'CANCELED', can_cancel: false });
  });
});

describe('toConnectOrder: amounts, addresses, fulfillment and custom fields', () => {
  it('sends no address until MMP shows one, but always a shipping_info', () => {
    const mapped = toConnectOrder(mmpOrderWithoutAddresses());
    expect(mapped.shipping_info).not.toHaveProperty('address');
    expect(mapped.shipping_info).toMatchObject({ carrier: 'UPS', method: 'Standard' });
    expect(mapped).not.toHaveProperty('billing_info');
    expect(upsertViolations([mapped])).toEqual([]);
  });

  it('divides every MMP tax percentage by 100', () => {
    const taxes = [
      { code: 'VAT', amount: 33, rate: 20 },
      { code: 'REDUCED', amount: 9.08, rate: 5.5 },
      { code: 'OLD', amount: 32.34, rate: 19.6 },
      { code: 'NONE', amount: 0, rate: 0 },
    ];
    const line = lineOf(toConnectOrder(mmpOrder({ line: { taxes, cancelations: [], refunds: [] } })));
    expect(line.taxes?.map((tax) => tax.rate)).toEqual([0.2, 0.055, 0.196, 0]);
  });

  it('sends the ordered quantity and price even after a unit cancelation: Connect subtracts the CANCELATION', () => {
    const cancelation = {
      id: '7',
      created_date: '2022-08-05T10:00:00Z',
      quantity: 1,
      amount: 55,
      shipping_amount: 0,
      reason_code: '34',
    };
    const line = lineOf(toConnectOrder(mmpOrder({ line: { cancelations: [cancelation], refunds: [] } })));
    expect(line).toMatchObject({ quantity: 3, price: { amount: 165 } });
    expect(line.adjustments).toEqual([
      expect.objectContaining({ type: 'CANCELATION', channel_adjustment_id: 'cancelation-7', quantity: 1 }),
    ]);
  });

  it('keeps every adjustment ever made, whatever the refund state, and defaults absent amounts to 0', () => {
    const refunds = ['WAITING_REFUND_TAX_CONFIRMATION', 'WAITING_REFUND', 'WAITING_REFUND_PAYMENT', 'REFUNDED'].map(
      (refund_state, index) => ({
        id: String(100 + index),
        created_date: '2022-08-05T10:00:00Z',
        quantity: 1,
        amount: 10,
        refund_state,
        reason_code: '19',
      }),
    );
    const line = lineOf(toConnectOrder(mmpOrder({ line: { refunds, cancelations: [] } })));
    expect(line.adjustments?.map((adjustment) => adjustment.channel_adjustment_id)).toEqual([
      'refund-100',
      'refund-101',
      'refund-102',
      'refund-103',
    ]);
    expect(line.adjustments?.[0]?.shipping_price).toEqual({ amount: 0, currency: 'USD' });
  });

  it('gives a cancelation and a refund with the same MMP id two different adjustment ids', () => {
    const entry = { id: '1122', created_date: '2022-08-05T10:00:00Z', quantity: 0, amount: 1 };
    const line = lineOf(
      toConnectOrder(mmpOrder({ line: { cancelations: [entry], refunds: [{ ...entry, refund_state: 'REFUNDED' }] } })),
    );
    expect(line.adjustments?.map((adjustment) => adjustment.channel_adjustment_id)).toEqual([
      'cancelation-1122',
      'refund-1122',
    ]);
  });

  it("asks reasonOf for the operator's reason of each kind; a reason outside Connect's enum is CHANNEL_SPECIFIC", () => {
    const asked: Array<[string, unknown]> = [];
    const reasonOf = (kind: 'CANCELATION' | 'REFUND', code: string | null | undefined) => {
      asked.push([kind, code]);
      return kind === 'CANCELATION' ? 'OUT_OF_STOCK' : 'NOT_A_CONNECT_REASON';
    };
    const line = lineOf(toConnectOrder(mmpOrder(), { reasonOf }));
    expect(asked).toEqual([
      ['CANCELATION', '34'],
      ['REFUND', '19'],
    ]);
    expect(line.adjustments?.map((adjustment) => adjustment.reason)).toEqual(['OUT_OF_STOCK', 'CHANNEL_SPECIFIC']);
  });

  it('fulfills by the seller, with no code, when the shop ships', () => {
    expect(toConnectOrder(mmpOrder({ order: { can_shop_ship: true } })).fulfillment).toEqual({
      type: 'FULFILLED_BY_SELLER',
    });
  });

  it('fulfills by the seller when the shop cannot ship but no fulfillment center is named (an order past shipping)', () => {
    const order = mmpOrder({ order: { can_shop_ship: false, fulfillment: undefined } });
    expect(toConnectOrder(order).fulfillment).toEqual({ type: 'FULFILLED_BY_SELLER' });
  });

  it('types the custom fields of every MMP kind (vendor examples), keeping as STRING what does not convert', () => {
    const order_additional_fields = [
      { code: 'condition', type: 'BOOLEAN', value: 'true' },
      { code: 'date-field', type: 'DATE', value: '2013-10-21T13:28:06.419Z' },
      { code: 'link-somewhere', type: 'LINK', value: 'https://example.com' },
      { code: 'colors', type: 'LIST', value: 'red' },
      { code: 'color', type: 'MULTIPLE_VALUES_LIST', value: ['RED', 'GREEN'] },
      { code: 'number', type: 'NUMERIC', value: '1337' },
      { code: 'regex-condition', type: 'REGEX', value: 'johndoe\\.[a-z]{2,3}' },
      { code: 'accounting-number', type: 'STRING', value: '0425367896' },
      { code: 'additional-description', type: 'TEXTAREA', value: 'description' },
      { code: 'not-a-number', type: 'NUMERIC', value: '12 kg' },
      { code: 'new-kind', type: 'RATING', value: '5' },
      { code: 'empty-list', type: 'MULTIPLE_VALUES_LIST', value: [] },
      { code: 'unset', type: 'STRING', value: null },
    ];
    const mapped = toConnectOrder(mmpOrder({ order: { order_additional_fields } }));
    expect(mapped.custom_attributes).toEqual([
      { id: 'condition', type: 'BOOLEAN', value: true },
      { id: 'date-field', type: 'DATE', value: '2013-10-21T13:28:06.419Z' },
      { id: 'link-somewhere', type: 'STRING', value: 'https://example.com' },
      { id: 'colors', type: 'LIST', value: ['red'] },
      { id: 'color', type: 'LIST', value: ['RED', 'GREEN'] },
      { id: 'number', type: 'NUMERIC', value: 1337 },
      { id: 'regex-condition', type: 'STRING', value: 'johndoe\\.[a-z]{2,3}' },
      { id: 'accounting-number', type: 'STRING', value: '0425367896' },
      { id: 'additional-description', type: 'STRING', value: 'description' },
      { id: 'not-a-number', type: 'STRING', value: '12 kg' },
      { id: 'new-kind', type: 'STRING', value: '5' },
    ]);
    expect(upsertViolations([mapped])).toEqual([]);
  });
});

describe("every mapped order matches Mirakl's spec", () => {
  const fixtures = {
    'vendor example': mmpOrder(),
    'without addresses': mmpOrderWithoutAddresses(),
    'seller-fulfilled': mmpOrder({ order: { can_shop_ship: true } }),
    ...Object.fromEntries(
      [
        'STAGING',
        'WAITING_ACCEPTANCE',
        'WAITING_DEBIT',
        'SHIPPING',
        'SHIPPED',
        'TO_COLLECT',
        'RECEIVED',
        'CLOSED',
        'REFUSED',
        'CANCELED',
        'INCIDENT_OPEN',
        'REFUNDED',
        'SOMETHING_NEW',
      ].map((state) => [state, mmpOrderIn(state)]),
    ),
  };
  const orders = Object.values(fixtures).map((order) =>
    toConnectOrder(order, { mediaBaseUrl: 'https://marketplace.example.com' }),
  );

  it('as an UpsertOrdersRequest, for the vendor validator and for ours', () => {
    expect(upsertViolations(orders)).toEqual([]);
    expect(UpsertOrdersRequestSchema.safeParse({ origin, orders }).success).toBe(true);
  });
});

describe('ConnectOrderSchema rejects what Connect would', () => {
  const valid = () => structuredClone(toConnectOrder(mmpOrder()));

  it('names each broken field by its path, without its value', () => {
    const order = valid();
    const line = lineOf(order);
    line.price.amount = -1;
    (line as { status: string }).status = 'LOST';
    delete (order.shipping_info.address as Partial<NonNullable<ConnectOrder['shipping_info']['address']>>).last_name;
    (order.shipping_info as { delivery_date: unknown }).delivery_date = { earliest: '2019-09-02T08:07:22Z' };
    order.shipping_info.email = 'smith.taylor(at)example.com';

    const result = ConnectOrderSchema.safeParse(order);
    expect(result.success).toBe(false);
    const described = describeInvalidBody(result.error!);
    const paths = [
      'order_lines[0].price.amount',
      'order_lines[0].status',
      'shipping_info.address.last_name',
      'shipping_info.delivery_date.latest',
      'shipping_info.email',
    ];
    for (const path of paths) expect(described).toContain(path);
    expect(described.toLowerCase()).not.toContain('taylor');

    expect(upsertViolations([order])).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/orders/0/order_lines/0/price/amount'),
        expect.stringContaining('/orders/0/order_lines/0/status'),
        expect.stringContaining('/orders/0/shipping_info/address/last_name'),
        expect.stringContaining('/orders/0/shipping_info/delivery_date/latest'),
        expect.stringContaining('/orders/0/shipping_info/email'),
      ]),
    );
  });

  it('checks what the spec states only in prose: an alpha-2 country, a currency that is not ISO 4217', () => {
    const order = valid();
    (order.shipping_info.address as { country_iso_code: string }).country_iso_code = 'US';
    lineOf(order).total_shipping_price.currency = 'dollars';
    const described = describeInvalidBody(ConnectOrderSchema.safeParse(order).error!);
    expect(described).toContain('shipping_info.address.country_iso_code');
    expect(described).toContain('order_lines[0].total_shipping_price.currency');
  });

  it('rejects an order with no line and a custom attribute beyond its limits', () => {
    const order = { ...valid(), custom_attributes: [{ id: '', type: 'NUMERIC', value: 2e9 }], order_lines: [] };
    const described = describeInvalidBody(ConnectOrderSchema.safeParse(order).error!);
    expect(described).toContain('order_lines');
    expect(described).toContain('custom_attributes[0].id');
    expect(described).toContain('custom_attributes[0].value');
    expect(upsertViolations([order])).toEqual(
      expect.arrayContaining([expect.stringContaining('/orders/0/order_lines')]),
    );
  });
});

describe('MmpImportedOrderSchema', () => {
  it('reads the vendor example, tolerating unknown fields and states', () => {
    const order = MmpImportedOrderSchema.parse({
      ...vendorOr11Order(),
      order_state: 'SOMETHING_NEW',
      brand_new_field: { any: 1 },
    });
    expect(order.order_state).toBe('SOMETHING_NEW');
  });

  it('rejects an order without what the mapping needs, naming the field', () => {
    const { last_updated_date: _dropped, ...order } = vendorOr11Order();
    const result = MmpImportedOrderSchema.safeParse(order);
    expect(result.success).toBe(false);
    expect(describeInvalidBody(result.error!)).toContain('last_updated_date');
  });
});
