import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pollOnce } from '../../../local/lambda/invoke.js';
import { createSpecValidator } from '../../../local/simulators/spec-validator.js';
import type { MmpOrderInput } from '../../../local/simulators/mmp.js';
import {
  acceptEvent,
  acceptReturnEvent,
  cancelEvent,
  refundEvent,
  returnEvent,
  shipmentEvent,
} from '../../fixtures/events.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

// No reason map is configured: the operator's reason codes are read from the simulated marketplace (RE01).
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());
beforeEach(() => {
  stack.connect.reset();
  stack.mmp.reset();
});
afterEach(() => {
  // Every body the connector sent to the marketplace followed the MMP spec.
  for (const request of stack.mmp.requests())
    expect({ call: request.route, schemaErrors: request.schemaErrors }).toEqual({
      call: request.route,
      schemaErrors: [],
    });
});

let orders = 0;
/** A new order of two lines, `<id>-1` (2 items) and `<id>-2` (1 item), in `state`. */
const newOrder = (state: MmpOrderInput['order_state'], lineStates: Array<MmpOrderInput['order_state']> = []) => {
  const orderId = `LIFE-${(orders += 1)}-${Date.now().toString(36)}`;
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: state,
    order_lines: [
      { order_line_id: `${orderId}-1`, offer_sku: 'SKU-4545', quantity: 2, order_line_state: lineStates[0] },
      { order_line_id: `${orderId}-2`, offer_sku: 'SKU-7788', quantity: 1, order_line_state: lineStates[1] },
    ],
  });
  return orderId;
};
const lineOf = (orderId: string, index: number) => stack.mmp.order(orderId)?.order_lines[index - 1];
const callsTo = (route: string) => stack.mmp.requests().filter((request) => request.route === route);
type Event = Parameters<TestStack['connect']['publish']>[0] & { data: Record<string, unknown> };
const actionOf = (event: Event) => stack.connect.actions().find((action) => action.actionId === event.data.action_id);
const run = async (event: Event, handler = stack.orderActions()) => {
  await stack.connect.publish(event);
  await stack.drain({ handler });
  return actionOf(event);
};
/** A cancelation or refund of `quantity` items of line 1, in the order's currency, with the vendor example's taxes. */
const eur = (quantity = 1, line: Record<string, unknown> = {}) => ({ currency: 'EUR', line: { quantity, ...line } });

describe('ACCEPT → OR21', () => {
  it('accepts and refuses lines as the vendor example does, and reports SUCCESS', async () => {
    const orderId = newOrder('WAITING_ACCEPTANCE');
    const event = acceptEvent(orderId);

    expect(await run(event)).toMatchObject({ status: 'SUCCESS', reports: 1 });

    expect(callsTo('OR21').map((request) => request.body)).toEqual([
      {
        order_lines: [
          { id: `${orderId}-1`, accepted: true },
          { id: `${orderId}-2`, accepted: false },
        ],
      },
    ]);
    expect([lineOf(orderId, 1)?.order_line_state, lineOf(orderId, 2)?.order_line_state]).toEqual([
      'SHIPPING',
      'REFUSED',
    ]);
  });

  it('reports FAILED INVALID_INPUT when the event leaves a line of the order without a decision', async () => {
    const orderId = newOrder('WAITING_ACCEPTANCE');
    const event = acceptEvent(orderId, { order_lines: [{ channel_order_line_id: `${orderId}-1`, accepted: true }] });

    expect(await run(event)).toMatchObject({
      status: 'FAILED',
      errors: [
        {
          code: 'INVALID_INPUT',
          message: `ACCEPT of order ${orderId} has no decision for line ${orderId}-2: the marketplace needs one for every line`,
        },
      ],
    });
    expect(callsTo('OR21').map((call) => call.status)).toEqual([400]);
    expect(stack.mmp.order(orderId)?.order_state).toBe('WAITING_ACCEPTANCE');
  });

  it('reports FAILED ACTION_NOT_SUPPORTED when the shop has no partial acceptance', async () => {
    stack.mmp.configure({ partialAcceptance: false });
    const orderId = newOrder('WAITING_ACCEPTANCE');

    expect(await run(acceptEvent(orderId))).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'ACTION_NOT_SUPPORTED' }],
    });
    expect(stack.mmp.order(orderId)?.order_state).toBe('WAITING_ACCEPTANCE');
  });
});

describe('CANCEL → OR29 or OR30', () => {
  it('cancels the whole order with OR29 when every line is canceled in full', async () => {
    const orderId = newOrder('SHIPPING');
    const event = cancelEvent(orderId, { currency: 'EUR', line: { quantity: 2 } });
    (event.data.cancelations as unknown[]).push({
      ...(event.data.cancelations as Array<Record<string, unknown>>)[0],
      channel_order_line_id: `${orderId}-2`,
      quantity: 1,
    });

    expect(await run(event)).toMatchObject({ status: 'SUCCESS' });
    expect(callsTo('OR29')).toHaveLength(1);
    expect(stack.mmp.order(orderId)?.order_state).toBe('CANCELED');
  });

  it("cancels part of the order with OR30, amounts tax excluded and the operator's reason code matched on its label", async () => {
    const orderId = newOrder('SHIPPING');

    expect(await run(cancelEvent(orderId, eur(1)))).toMatchObject({ status: 'SUCCESS' });

    expect(callsTo('OR30').map((request) => request.body)).toEqual([
      {
        order_tax_mode: 'TAX_EXCLUDED',
        cancelations: [
          {
            order_line_id: `${orderId}-1`,
            quantity: 1,
            amount: 15,
            shipping_amount: 8,
            reason_code: '34',
            currency_iso_code: 'EUR',
            taxes: [
              { code: 'Tax1', amount: 1 },
              { code: 'Tax2', amount: 2 },
            ],
            shipping_taxes: [
              { code: 'ShippingTax1', amount: 3 },
              { code: 'ShippingTax2', amount: 4 },
            ],
          },
        ],
      },
    ]);
    expect(lineOf(orderId, 1)).toMatchObject({
      order_line_state: 'SHIPPING',
      cancelations: [{ quantity: 1, reason_code: '34' }],
    });
  });

  it('reports FAILED INVALID_INPUT naming a reason the operator has no code for, the codes on offer and the variable, without calling OR30', async () => {
    const orderId = newOrder('SHIPPING');

    expect(await run(cancelEvent(orderId, eur(1, { reason: 'AGREEMENT' })))).toMatchObject({
      status: 'FAILED',
      errors: [
        {
          code: 'INVALID_INPUT',
          message:
            `Reason AGREEMENT of order ${orderId} matches none of the marketplace's CANCELATION reasons (the codes on offer are ` +
            '"34 Cancelled by the client prior to shipping", "35 Out of stock", "37 Unable to deliver to the address", "36 Other"): map it in MMP_CANCELATION_REASON_CODES',
        },
      ],
    });
    expect(callsTo('OR30')).toEqual([]);
  });

  it('takes the configured code over the matched one', async () => {
    const orderId = newOrder('SHIPPING');
    const handler = stack.orderActions({
      MMP_CANCELATION_REASON_CODES: JSON.stringify({ CUSTOMER_CANCELATION: '36', AGREEMENT: '36' }),
    });

    expect(await run(cancelEvent(orderId, eur(1, { reason: 'AGREEMENT' })), handler)).toMatchObject({
      status: 'SUCCESS',
    });
    expect(lineOf(orderId, 1)?.cancelations).toMatchObject([{ reason_code: '36' }]);
  });

  it('matches the labels of a French operator', async () => {
    stack.mmp.configure({ operatorLanguage: 'fr' });
    const orderId = newOrder('SHIPPING');

    expect(await run(cancelEvent(orderId, eur(1, { reason: 'OUT_OF_STOCK' })))).toMatchObject({ status: 'SUCCESS' });
    expect(lineOf(orderId, 1)?.cancelations).toMatchObject([{ reason_code: '35' }]);
  });

  it('reports FAILED ORDER_IN_WRONG_STATE for an order already shipped', async () => {
    const orderId = newOrder('SHIPPED');

    expect(await run(cancelEvent(orderId, eur(1)))).toMatchObject({
      status: 'FAILED',
      errors: [
        {
          code: 'ORDER_IN_WRONG_STATE',
          message: `Order ${orderId} is SHIPPED on the marketplace and cannot be canceled`,
        },
      ],
    });
  });

  it('cancels once when the OR30 response is lost: the redelivery finds the new cancelation id', async () => {
    const orderId = newOrder('SHIPPING');
    stack.mmp.injectFault({ route: 'OR30', orderId, times: 1, dropConnectionAfterApplying: true });
    const event = cancelEvent(orderId, eur(1));

    expect(await run(event)).toMatchObject({ status: 'SUCCESS', reports: 1 });

    expect(callsTo('OR30')).toMatchObject([{ dropped: true }]);
    expect(lineOf(orderId, 1)?.cancelations).toHaveLength(1);
  });
});

describe('REFUND → OR28', () => {
  it("refunds the vendor example's line (named by order_line_id), and reports SUCCESS", async () => {
    const orderId = newOrder('SHIPPED');

    expect(await run(refundEvent(orderId, eur(1)))).toMatchObject({ status: 'SUCCESS' });

    expect(callsTo('OR28').map((request) => request.body)).toMatchObject([
      {
        order_tax_mode: 'TAX_EXCLUDED',
        refunds: [
          {
            order_line_id: `${orderId}-1`,
            amount: 15,
            shipping_amount: 8,
            reason_code: '18',
            currency_iso_code: 'EUR',
          },
        ],
      },
    ]);
    expect(lineOf(orderId, 1)?.refunds).toMatchObject([{ amount: 15, reason_code: '18' }]);
  });

  it.each([
    ['en', 'RETURN', '17'],
    ['en', 'DEFECT', '20'],
    ['en', 'OUT_OF_STOCK', '15'],
    ['en', 'UNABLE_TO_DELIVER', '21'],
    ['fr', 'RETURN', '17'],
    ['fr', 'DEFECT', '20'],
    ['fr', 'CUSTOMER_CANCELATION', '16'],
    ['fr', 'AGREEMENT', '19'],
  ] as const)('refunds %s: a %s reason gets code %s out of the box', async (language, reason, code) => {
    stack.mmp.configure({ operatorLanguage: language });
    const orderId = newOrder('SHIPPED');

    expect(await run(refundEvent(orderId, eur(1, { reason })))).toMatchObject({ status: 'SUCCESS' });
    expect(callsTo('OR28').map((request) => request.body)).toMatchObject([{ refunds: [{ reason_code: code }] }]);
  });

  it('waits out a marketplace whose reason list (RE01) is unavailable, then refunds', async () => {
    const orderId = newOrder('SHIPPED');
    stack.mmp.injectFault({ route: 'RE01', status: 503, times: 4 });

    expect(await run(refundEvent(orderId, eur(1)))).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expect(callsTo('RE01').map((request) => request.status)).toEqual([503, 503, 503, 503, 200]);
    expect(callsTo('OR28')).toHaveLength(1);
  });

  it('reports FAILED ORDER_IN_WRONG_STATE for a canceled line', async () => {
    const orderId = newOrder('SHIPPED', ['CANCELED', 'SHIPPED']);

    expect(await run(refundEvent(orderId, eur(1)))).toMatchObject({
      status: 'FAILED',
      errors: [
        {
          code: 'ORDER_IN_WRONG_STATE',
          message: `Lines of order ${orderId} cannot be refunded on the marketplace: ${orderId}-1 is CANCELED`,
        },
      ],
    });
    expect(callsTo('OR28')).toEqual([]);
  });

  it('refunds once when the OR28 response is lost: the redelivery finds the new refund id', async () => {
    const orderId = newOrder('SHIPPED');
    stack.mmp.injectFault({ route: 'OR28', orderId, times: 1, dropConnectionAfterApplying: true });
    const event = refundEvent(orderId, eur(1));

    expect(await run(event)).toMatchObject({ status: 'SUCCESS', reports: 1 });

    expect(callsTo('OR28')).toMatchObject([{ dropped: true }]);
    expect(lineOf(orderId, 1)?.refunds).toHaveLength(1);
  });

  it('refunds again after an OR28 that failed (503): the refund already on the line was read before it, not taken for ours', async () => {
    const orderId = newOrder('SHIPPED');
    expect(await run(refundEvent(orderId, eur(1)))).toMatchObject({ status: 'SUCCESS' });
    stack.mmp.injectFault({ route: 'OR28', orderId, status: 503, times: 1 });

    expect(await run(refundEvent(orderId, eur(1)))).toMatchObject({ status: 'SUCCESS', reports: 1 });

    expect(callsTo('OR28').map((request) => request.status)).toEqual([200, 503, 200]);
    expect(lineOf(orderId, 1)?.refunds).toHaveLength(2);
  });

  it('waits with one read for a line shipped after the refund came, then refunds without reading again', async () => {
    const orderId = newOrder('SHIPPING');
    const shipment = shipmentEvent(orderId);
    const refund = refundEvent(orderId, eur(1));
    await stack.connect.publish(refund);
    expect(
      await pollOnce({
        ...stack.queue,
        sqs: stack.aws.sqs,
        handler: stack.orderActions(),
        functionName: 'orderActions',
      }),
    ).toMatchObject({ failed: [expect.anything()] });
    expect([callsTo('OR11').length, callsTo('OR28').length]).toEqual([1, 0]);

    expect(await run(shipment)).toMatchObject({ status: 'SUCCESS' });
    await stack.drain();

    expect(actionOf(refund)).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expect(callsTo('OR11')).toHaveLength(1);
    expect(lineOf(orderId, 1)?.refunds).toHaveLength(1);
  });

  it('after waiting for the shipment, refunds once when the OR28 response is lost', async () => {
    const orderId = newOrder('SHIPPING');
    const shipment = shipmentEvent(orderId);
    const refund = refundEvent(orderId, eur(1));
    await stack.connect.publish(refund);
    await pollOnce({ ...stack.queue, sqs: stack.aws.sqs, handler: stack.orderActions(), functionName: 'orderActions' });
    stack.mmp.injectFault({ route: 'OR28', orderId, times: 1, dropConnectionAfterApplying: true });

    expect(await run(shipment)).toMatchObject({ status: 'SUCCESS' });
    await stack.drain();

    expect(actionOf(refund)).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expect(callsTo('OR28')).toMatchObject([{ dropped: true }]);
    expect(callsTo('OR11')).toHaveLength(2);
    expect(lineOf(orderId, 1)?.refunds).toHaveLength(1);
  });

  it('reports a refund beyond what is left as FAILED INVALID_INPUT (the marketplace refused the amounts)', async () => {
    const orderId = newOrder('SHIPPED');

    expect(await run(refundEvent(orderId, eur(1, { price: { amount: 500, currency: 'EUR' } })))).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'INVALID_INPUT', message: expect.stringContaining('MMP OR28 refused the refund') }],
    });
  });
});

describe('CREATE_SHIPMENT of part of an order → ST01 (multi-shipment)', () => {
  const multiShipment = () => stack.orderActions({ MMP_MULTI_SHIPMENT: 'true' });
  const items = (orderId: string, quantity: number) => ({
    items: [{ channel_order_line_id: `${orderId}-1`, id: 'SKU-4545', quantity }],
  });

  it('ships the items with ST01, then the rest, and the order is SHIPPED', async () => {
    stack.mmp.configure({ multiShipment: true });
    const orderId = newOrder('SHIPPING');

    expect(
      await run(
        shipmentEvent(orderId, { carrier: 'DHL Express', tracking_number: 'JJD1', ...items(orderId, 2) }),
        multiShipment(),
      ),
    ).toMatchObject({ status: 'SUCCESS' });
    expect(callsTo('ST01').map((request) => request.body)).toEqual([
      {
        shipments: [
          {
            order_id: orderId,
            shipment_lines: [{ order_line_id: `${orderId}-1`, quantity: 2 }],
            tracking: { carrier_code: 'DHL', tracking_number: 'JJD1' },
            shipped: true,
          },
        ],
      },
    ]);
    expect(stack.mmp.order(orderId)).toMatchObject({
      order_state: 'SHIPPING',
      order_lines: [{ order_line_state: 'SHIPPED' }, { order_line_state: 'SHIPPING' }],
    });

    const rest = shipmentEvent(orderId, {
      items: [{ channel_order_line_id: `${orderId}-2`, id: 'SKU-7788', quantity: 1 }],
    });
    expect(await run(rest, multiShipment())).toMatchObject({ status: 'SUCCESS' });
    expect(stack.mmp.order(orderId)?.order_state).toBe('SHIPPED');
  });

  it('ships once when the ST01 response is lost: the redelivery finds the new shipment', async () => {
    stack.mmp.configure({ multiShipment: true });
    const orderId = newOrder('SHIPPING');
    stack.mmp.injectFault({ route: 'ST01', orderId, times: 1, dropConnectionAfterApplying: true });

    expect(await run(shipmentEvent(orderId, items(orderId, 1)), multiShipment())).toMatchObject({
      status: 'SUCCESS',
      reports: 1,
    });

    expect(callsTo('ST01')).toHaveLength(1);
    expect(callsTo('ST11').length).toBeGreaterThanOrEqual(2);
  });

  it('reports FAILED ACTION_NOT_SUPPORTED without the capability', async () => {
    const orderId = newOrder('SHIPPING');

    expect(await run(shipmentEvent(orderId, items(orderId, 1)))).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'ACTION_NOT_SUPPORTED', message: expect.stringContaining('MMP_MULTI_SHIPMENT') }],
    });
    expect(callsTo('ST01')).toEqual([]);
  });
});

describe('the return actions → RT21, RT04, RT25, RT27', () => {
  const newReturn = (state: 'WAITING_ACCEPTANCE' | 'IN_PROGRESS' | 'RECEIVED' | 'CLOSED' | 'REFUSED') => {
    const orderId = newOrder('RECEIVED');
    return { orderId, returnId: stack.mmp.addReturn({ order_id: orderId, state }).id };
  };

  it('ACCEPT_RETURN accepts a return, or refuses it with the mapped rejection code', async () => {
    const accepted = newReturn('WAITING_ACCEPTANCE');
    expect(await run(acceptReturnEvent(accepted.orderId, accepted.returnId))).toMatchObject({ status: 'SUCCESS' });
    expect(stack.mmp.return(accepted.returnId)?.state).toBe('IN_PROGRESS');

    const refused = newReturn('WAITING_ACCEPTANCE');
    expect(
      await run(
        acceptReturnEvent(refused.orderId, refused.returnId, {
          accepted: false,
          rejection_reason: 'RETURN_WINDOW_CLOSED',
        }),
      ),
    ).toMatchObject({ status: 'SUCCESS' });
    expect(callsTo('RT21').at(-1)?.body).toEqual({
      returns: [{ id: refused.returnId, accepted: false, rejection_reason_code: 'RETURN_REJECTION_WINDOW_CLOSED' }],
    });
    expect(stack.mmp.return(refused.returnId)).toMatchObject({
      state: 'REFUSED',
      rejection_reason_code: 'RETURN_REJECTION_WINDOW_CLOSED',
    });
  });

  it('ACCEPT_RETURN refused for FINAL_SALES, with no mapping configured, is FAILED INVALID_INPUT', async () => {
    const { orderId, returnId } = newReturn('WAITING_ACCEPTANCE');

    expect(
      await run(acceptReturnEvent(orderId, returnId, { accepted: false, rejection_reason: 'FINAL_SALES' })),
    ).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'INVALID_INPUT', message: expect.stringContaining('MMP_RETURN_REJECTION_REASONS') }],
    });
    expect(callsTo('RT21')).toEqual([]);
  });

  it('ACCEPT_RETURN of a refused return is FAILED RETURN_IN_WRONG_STATE, of an unknown one DATA_NOT_FOUND', async () => {
    const { orderId, returnId } = newReturn('REFUSED');
    expect(await run(acceptReturnEvent(orderId, returnId))).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'RETURN_IN_WRONG_STATE' }],
    });
    expect(await run(acceptReturnEvent(orderId, '0f6c1d2e-3a4b-4c5d-8e9f-000000000000'))).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'DATA_NOT_FOUND' }],
    });
  });

  it('UPDATE_RETURN_TRACKING_INFORMATION sets the RMA, label and tracking of the vendor example', async () => {
    const { orderId, returnId } = newReturn('IN_PROGRESS');

    expect(await run(returnEvent('UPDATE_RETURN_TRACKING_INFORMATION', orderId, returnId))).toMatchObject({
      status: 'SUCCESS',
    });

    expect(callsTo('RT04').map((request) => request.body)).toEqual([
      {
        returns: [
          {
            id: returnId,
            rma: 'CR117B72FEF5E8391187',
            label_url: 'https://shipping.ups.com/returns/labels/d290f1ee-6c54-4b01-90e6-d701748f0851.pdf',
            tracking: {
              carrier_name: 'FedEx',
              tracking_url: 'https://www.fedex.com/fedextrack/?trknbr=123456',
              tracking_number: '123456',
            },
          },
        ],
      },
    ]);
    expect(stack.mmp.return(returnId)).toMatchObject({
      rma: 'CR117B72FEF5E8391187',
      tracking: { carrier_name: 'FedEx', tracking_number: '123456' },
    });
  });

  it('UPDATE_RETURN_TRACKING_INFORMATION on a received return: the 200 lists it in return_errors → FAILED RETURN_IN_WRONG_STATE', async () => {
    const { orderId, returnId } = newReturn('RECEIVED');

    expect(await run(returnEvent('UPDATE_RETURN_TRACKING_INFORMATION', orderId, returnId))).toMatchObject({
      status: 'FAILED',
      errors: [
        {
          code: 'RETURN_IN_WRONG_STATE',
          message: `Return ${returnId} of order ${orderId} is RECEIVED on the marketplace: cannot update the tracking of it (MMP RT04 refused with return_errors)`,
        },
      ],
    });
    expect(callsTo('RT04')).toMatchObject([{ status: 200 }]);
  });

  it('ACKNOWLEDGE_RETURN_RECEPTION then CLOSE_RETURN', async () => {
    const { orderId, returnId } = newReturn('IN_PROGRESS');

    expect(await run(returnEvent('ACKNOWLEDGE_RETURN_RECEPTION', orderId, returnId))).toMatchObject({
      status: 'SUCCESS',
    });
    expect(stack.mmp.return(returnId)?.state).toBe('RECEIVED');
    expect(await run(returnEvent('CLOSE_RETURN', orderId, returnId))).toMatchObject({ status: 'SUCCESS' });
    expect(stack.mmp.return(returnId)?.state).toBe('CLOSED');
  });

  it('CLOSE_RETURN of a refused return is FAILED RETURN_IN_WRONG_STATE, from the refusal of RT27', async () => {
    const { orderId, returnId } = newReturn('REFUSED');

    expect(await run(returnEvent('CLOSE_RETURN', orderId, returnId))).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'RETURN_IN_WRONG_STATE' }],
    });
    expect(callsTo('RT27')).toHaveLength(1);
    expect(stack.mmp.return(returnId)?.state).toBe('REFUSED');
  });
});

describe('a whole order life', () => {
  it('accept, ship, cancel part, refund, and a return from acceptance to closing', async () => {
    const orderId = newOrder('WAITING_ACCEPTANCE');
    const line1 = `${orderId}-1`;
    const events = [
      acceptEvent(orderId, {
        order_lines: [
          { channel_order_line_id: line1, accepted: true },
          { channel_order_line_id: `${orderId}-2`, accepted: true },
        ],
      }),
      cancelEvent(orderId, {
        currency: 'EUR',
        line: {
          quantity: 1,
          reason: 'OUT_OF_STOCK',
          price: { amount: 19.99, currency: 'EUR' },
          taxes: [],
          shipping_taxes: [],
        },
      }),
      shipmentEvent(orderId, { carrier: 'UPS', tracking_number: '1Z999' }),
      refundEvent(orderId, {
        currency: 'EUR',
        line: {
          reason: 'RETURN',
          price: { amount: 19.99, currency: 'EUR' },
          shipping_price: { amount: 0, currency: 'EUR' },
        },
      }),
    ];
    for (const event of events) expect(await run(event)).toMatchObject({ status: 'SUCCESS' });
    expect(stack.mmp.order(orderId)).toMatchObject({
      order_state: 'SHIPPED',
      order_lines: [{ cancelations: [{ quantity: 1 }], refunds: [{ amount: 19.99 }] }, {}],
    });

    const { id: returnId } = stack.mmp.addReturn({
      order_id: orderId,
      return_lines: [{ order_line_id: line1, quantity: 1 }],
    });
    const returnEvents = [
      acceptReturnEvent(orderId, returnId),
      returnEvent('UPDATE_RETURN_TRACKING_INFORMATION', orderId, returnId, {
        tracking: { carrier: 'Colissimo', tracking_number: '8R41234567890' },
      }),
      returnEvent('ACKNOWLEDGE_RETURN_RECEPTION', orderId, returnId),
      returnEvent('CLOSE_RETURN', orderId, returnId),
    ];
    for (const event of returnEvents) expect(await run(event)).toMatchObject({ status: 'SUCCESS' });
    expect(stack.mmp.return(returnId)).toMatchObject({
      state: 'CLOSED',
      tracking: { carrier_code: 'COLISSIMO', tracking_number: '8R41234567890' },
    });
    expect(stack.connect.actions().map((action) => action.reports)).toEqual(Array(8).fill(1));
  });
});

describe('the simulated marketplace follows the MMP spec', () => {
  const spec = createSpecValidator(
    fileURLToPath(new URL('../../../contracts/mirakl-mmp-seller-openapi.json', import.meta.url)),
  );
  const mmpCall = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.mmp.url}${path}`, {
      method,
      headers: { authorization: 'local-mmp-key', 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('answers OR30, OR28, ST01, RT04 and reads (OR11 with cancelations and refunds, RT11, ST11) as the spec says', async () => {
    stack.mmp.configure({ multiShipment: true });
    const orderId = newOrder('SHIPPING');
    const shipped = newOrder('SHIPPED');
    const { id: returnId } = stack.mmp.addReturn({ order_id: shipped });
    const line = {
      quantity: 1,
      amount: 5,
      shipping_amount: 0,
      currency_iso_code: 'EUR',
      taxes: [{ code: 'TVA', amount: 1 }],
    };
    const answers = {
      OR30_Response_200: await mmpCall('PUT', '/api/orders/cancel', {
        order_tax_mode: 'TAX_EXCLUDED',
        cancelations: [{ ...line, order_line_id: `${orderId}-2`, reason_code: '34' }],
      }),
      OR28_Response_200: await mmpCall('PUT', '/api/orders/refund', {
        order_tax_mode: 'TAX_EXCLUDED',
        refunds: [{ ...line, order_line_id: `${shipped}-1`, reason_code: '18' }],
      }),
      ST01_Response_201: await mmpCall('POST', '/api/shipments', {
        shipments: [
          { order_id: orderId, shipment_lines: [{ order_line_id: `${orderId}-1`, quantity: 1 }], shipped: true },
        ],
      }),
      RT04_Response_200: await mmpCall('PUT', '/api/returns', { returns: [{ id: returnId, rma: 'RMA-1' }] }),
      OR11_Response_200: await mmpCall('GET', `/api/orders?order_ids=${orderId},${shipped}`),
      RT11_Response_200: await mmpCall('GET', `/api/returns?return_id=${returnId}`),
      ST11_Response_200: await mmpCall('GET', `/api/shipments?order_id=${orderId}`),
    };

    for (const [schema, answer] of Object.entries(answers)) {
      expect({ schema, status: answer.status, errors: spec.validate(schema, answer.body) }).toEqual({
        schema,
        status: schema.endsWith('201') ? 201 : 200,
        errors: [],
      });
    }
    expect(answers.OR11_Response_200.body).toMatchObject({
      orders: [
        { order_lines: [{}, { cancelations: [{ reason_code: '34' }] }] },
        { order_lines: [{ refunds: [{ reason_code: '18' }] }, {}] },
      ],
    });
  });

  it('refuses an OR30 body without reason_code, and records why', async () => {
    const response = await fetch(`${stack.mmp.url}/api/orders/cancel`, {
      method: 'PUT',
      headers: { authorization: 'local-mmp-key', 'content-type': 'application/json' },
      body: JSON.stringify({ cancelations: [{ order_line_id: 'X-1', quantity: 1, amount: 1, shipping_amount: 0 }] }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(callsTo('OR30')[0]?.schemaErrors).toEqual([
      "/cancelations/0/reason_code must have required property 'reason_code'",
    ]);
    stack.mmp.reset();
  });
});
