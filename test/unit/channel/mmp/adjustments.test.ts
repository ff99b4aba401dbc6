import { describe, expect, it } from 'vitest';
import { adjustmentOf } from '../../../../lib/actions/adjustment.js';
import { readMessage } from '../../../../lib/actions/index.js';
import { adjustmentLines, assertOrderCurrency, reasonCodesFor } from '../../../../lib/channel/mmp/adjustments.js';
import { cancelOrder, cancelsWholeOrder } from '../../../../lib/channel/mmp/cancelation.js';
import type { MmpCancelations, MmpOrder, MmpRefunds } from '../../../../lib/channel/mmp/client.js';
import { createMarketplaceReasons } from '../../../../lib/channel/mmp/reasons/index.js';
import { refundOrder } from '../../../../lib/channel/mmp/refund.js';
import type { Adjustment } from '../../../../lib/channel/index.js';
import type { ActionPayload } from '../../../../lib/connect/index.js';
import { ActionFailure } from '../../../../lib/outcome.js';
import { HttpError } from '../../../../lib/http/index.js';
import { cancelEvent, refundEvent, vendorExample } from '../../../fixtures/events.js';
import { failureOf, fakeStore, memoryIntent, mmpOrder } from '../../../support/mmp-fakes.js';

/** A vendor CANCEL or REFUND example, read as the processor reads it, as the port gets it. */
const adjustmentFrom = (event: unknown): Adjustment => {
  const read = readMessage(JSON.stringify(event));
  if (read.kind !== 'action') throw new Error(`not an action: ${read.kind}`);
  const payload = read.action.payload as Partial<ActionPayload<'CANCEL'> & ActionPayload<'REFUND'>> & {
    channel_order_id: string;
  };
  return adjustmentOf(payload.channel_order_id, payload.cancelations ?? payload.refunds ?? []);
};

const CANCEL_REASONS = { CUSTOMER_CANCELATION: '34', OUT_OF_STOCK: '35' };
const REFUND_REASONS = { ITEM_NOT_RECEIVED: '19' };
/** The configured maps over a marketplace that lists no reason. */
const reasons = createMarketplaceReasons({
  configured: { CANCELATION: CANCEL_REASONS, REFUND: REFUND_REASONS },
  listReasons: async () => [],
});

/** OR11, OR28, OR29, OR30 in memory. OR28/OR30 add an id per line, as MMP does; `fail` makes the next one fail. */
const fakeMmp = (order: MmpOrder) => {
  const calls: string[] = [];
  const sent: Array<MmpCancelations | MmpRefunds> = [];
  const current = structuredClone(order);
  let fail: { error: Error; applied: boolean } | undefined;
  let sequence = 100;
  const adjust = (kind: 'refunds' | 'cancelations', lines: Array<{ order_line_id: string }>) => {
    const failure = fail;
    fail = undefined;
    if (!failure || failure.applied) {
      for (const { order_line_id } of lines)
        current.order_lines.find((line) => line.order_line_id === order_line_id)?.[kind].push(String((sequence += 1)));
    }
    if (failure) throw failure.error;
  };
  return {
    calls,
    sent,
    current,
    failNext: (error: Error, applied = false) => (fail = { error, applied }),
    client: {
      store: fakeStore,
      async getOrder() {
        calls.push('OR11');
        return structuredClone(current);
      },
      async cancelOrder() {
        calls.push('OR29');
        current.order_state = 'CANCELED';
      },
      async cancelLines(body: MmpCancelations) {
        calls.push('OR30');
        sent.push(body);
        adjust('cancelations', body.cancelations);
      },
      async refundLines(body: MmpRefunds) {
        calls.push('OR28');
        sent.push(body);
        adjust('refunds', body.refunds);
      },
    },
  };
};

const lostResponse = () => new ActionFailure('UNAVAILABLE', 'MMP OR30 failed: UND_ERR_SOCKET', { transient: true });
const refusal = () => new HttpError('MMP answered 400', { status: 400, mayHaveApplied: false });

describe('adjustmentLines (OR28/OR30 lines) from the vendor examples', () => {
  it('maps the CANCEL example: amounts, taxes by code, currency and the reason code', () => {
    expect(adjustmentLines(adjustmentFrom(vendorExample('CANCEL')), CANCEL_REASONS)).toEqual([
      {
        order_line_id: '0002_3202630-A-1',
        quantity: 1,
        amount: 15,
        shipping_amount: 8,
        reason_code: '34',
        currency_iso_code: 'USD',
        taxes: [
          { code: 'Tax1', amount: 1 },
          { code: 'Tax2', amount: 2 },
        ],
        shipping_taxes: [
          { code: 'ShippingTax1', amount: 3 },
          { code: 'ShippingTax2', amount: 4 },
        ],
      },
    ]);
  });

  it('maps the REFUND example, whose line is named by order_line_id', () => {
    const [line] = adjustmentLines(adjustmentFrom(vendorExample('REFUND')), REFUND_REASONS);
    expect(line).toMatchObject({
      order_line_id: '0002_3202630-A-1',
      amount: 15,
      shipping_amount: 8,
      reason_code: '19',
      currency_iso_code: 'USD',
    });
  });

  it('leaves out empty tax lists', () => {
    const adjustment = adjustmentFrom(
      cancelEvent('MKP-1', { currency: 'EUR', line: { taxes: [], shipping_taxes: [] } }),
    );
    const [line] = adjustmentLines(adjustment, CANCEL_REASONS);
    expect(line).not.toHaveProperty('taxes');
    expect(line).not.toHaveProperty('shipping_taxes');
  });

  it('refuses amounts in another currency than the order as INVALID_INPUT', async () => {
    const adjustment = adjustmentFrom(cancelEvent('MKP-1'));
    const failure = await failureOf(
      (async () => assertOrderCurrency(mmpOrder('SHIPPING', [['MKP-1-1', 1]]), adjustment))(),
    );
    expect(failure).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Line MKP-1-1 of order MKP-1 has amounts in USD; the marketplace order is in EUR',
    });
  });

  it('refuses a line with amounts in two currencies as INVALID_INPUT', async () => {
    const adjustment = adjustmentFrom(
      cancelEvent('MKP-1', { line: { shipping_price: { amount: 1, currency: 'EUR' } } }),
    );
    expect(await failureOf((async () => adjustmentLines(adjustment, CANCEL_REASONS))())).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Line MKP-1-1 of order MKP-1 has amounts in USD, EUR: the marketplace takes one currency a line',
    });
  });
});

describe('reasonCodesFor', () => {
  const offering = createMarketplaceReasons({
    configured: { CANCELATION: {}, REFUND: {} },
    listReasons: async () => [
      { code: '34', label: 'Cancelled by the client prior to shipping', type: 'CANCELATION', is_shop_right: true },
      { code: '14', label: 'No response from the shop', type: 'CANCELATION', is_shop_right: false },
      { code: '15', label: 'Out of stock', type: 'REFUND', is_shop_right: true },
    ],
  });

  it("gives each reason of the adjustment the operator's code", async () => {
    expect(await reasonCodesFor(offering, 'CANCELATION', adjustmentFrom(cancelEvent('MKP-1')))).toEqual({
      CUSTOMER_CANCELATION: '34',
    });
  });

  it('refuses a reason with no code as INVALID_INPUT naming the reason, the codes the shop may use and the variable', async () => {
    const adjustment = adjustmentFrom(cancelEvent('MKP-1', { currency: 'EUR', line: { reason: 'OUT_OF_STOCK' } }));
    expect(await failureOf(reasonCodesFor(offering, 'CANCELATION', adjustment))).toEqual({
      code: 'INVALID_INPUT',
      transient: false,
      message:
        'Reason OUT_OF_STOCK of order MKP-1 matches none of the marketplace\'s CANCELATION reasons (the codes on offer are "34 Cancelled by the client prior to shipping"): map it in MMP_CANCELATION_REASON_CODES',
    });
  });
});

describe('cancelOrder', () => {
  const cancelation = (quantity: number, lineId = 'L1') =>
    adjustmentFrom(cancelEvent('MKP-1', { currency: 'EUR', line: { channel_order_line_id: lineId, quantity } }));

  it('cancels the whole order with OR29 when every open line is canceled in full', () => {
    const order = mmpOrder('SHIPPING', [
      ['L1', 1],
      ['L2', 3, 'CANCELED'],
    ]);
    expect(cancelsWholeOrder(order, cancelation(1))).toBe(true);
    expect(cancelsWholeOrder(mmpOrder('SHIPPING'), cancelation(2))).toBe(false);
  });

  it('sends OR29 for a whole order, OR30 with TAX_EXCLUDED amounts for part of it', async () => {
    const whole = fakeMmp(mmpOrder('SHIPPING', [['L1', 1]]));
    await cancelOrder(whole.client, cancelation(1), memoryIntent(), reasons);
    expect(whole.calls).toEqual(['OR11', 'OR29']);

    const part = fakeMmp(mmpOrder('SHIPPING'));
    await cancelOrder(part.client, cancelation(1), memoryIntent(), reasons);
    expect(part.calls).toEqual(['OR11', 'OR30']);
    expect(part.sent[0]).toMatchObject({
      order_tax_mode: 'TAX_EXCLUDED',
      cancelations: [{ order_line_id: 'L1', quantity: 1, reason_code: '34', currency_iso_code: 'EUR' }],
    });
  });

  it('remembers the cancelation ids of the lines before OR30', async () => {
    const mmp = fakeMmp(
      mmpOrder('SHIPPING', [
        ['L1', 2, 'SHIPPING', { cancelations: ['7'] }],
        ['L2', 1],
      ]),
    );
    const intent = memoryIntent();
    await cancelOrder(mmp.client, cancelation(1), intent, reasons);
    expect(intent.value).toEqual({ operation: 'OR30', known_ids: ['7'] });
  });

  it('after a lost OR30 response, confirms on redelivery instead of canceling twice', async () => {
    const mmp = fakeMmp(mmpOrder('SHIPPING'));
    const intent = memoryIntent();
    mmp.failNext(lostResponse(), true);
    await expect(cancelOrder(mmp.client, cancelation(1), intent, reasons)).rejects.toMatchObject({ transient: true });

    await cancelOrder(mmp.client, cancelation(1), intent, reasons);

    expect(mmp.calls).toEqual(['OR11', 'OR30', 'OR11']);
    expect(mmp.current.order_lines[0]?.cancelations).toHaveLength(1);
  });

  it('after a lost OR30 that never reached the marketplace, sends it again on redelivery', async () => {
    const mmp = fakeMmp(mmpOrder('SHIPPING'));
    const intent = memoryIntent();
    mmp.failNext(lostResponse(), false);
    await expect(cancelOrder(mmp.client, cancelation(1), intent, reasons)).rejects.toMatchObject({ transient: true });

    await cancelOrder(mmp.client, cancelation(1), intent, reasons);

    expect(mmp.calls).toEqual(['OR11', 'OR30', 'OR11', 'OR30']);
    expect(mmp.current.order_lines[0]?.cancelations).toHaveLength(1);
  });

  it.each([
    ['SHIPPED', false],
    ['CLOSED', false],
    ['WAITING_ACCEPTANCE', true],
    ['WAITING_DEBIT_PAYMENT', true],
  ])(
    'fails an order in state %s with ORDER_IN_WRONG_STATE (transient: %s), before any change',
    async (state, transient) => {
      const mmp = fakeMmp(mmpOrder(state));
      expect(await failureOf(cancelOrder(mmp.client, cancelation(1), memoryIntent(), reasons))).toMatchObject({
        code: 'ORDER_IN_WRONG_STATE',
        transient,
      });
      expect(mmp.calls).toEqual(['OR11']);
    },
  );

  it('confirms a whole-order cancelation of an order already CANCELED', async () => {
    const mmp = fakeMmp(mmpOrder('CANCELED', [['L1', 1, 'CANCELED']]));
    await cancelOrder(mmp.client, cancelation(1), memoryIntent(), reasons);
    expect(mmp.calls).toEqual(['OR11']);
  });

  it('names the lines that cannot be canceled any more', async () => {
    const mmp = fakeMmp(
      mmpOrder('SHIPPING', [
        ['L1', 2, 'SHIPPED'],
        ['L2', 1],
      ]),
    );
    expect(await failureOf(cancelOrder(mmp.client, cancelation(1), memoryIntent(), reasons))).toEqual({
      code: 'ORDER_IN_WRONG_STATE',
      transient: false,
      message: 'Lines of order MKP-1 cannot be canceled on the marketplace: L1 is SHIPPED',
    });
  });

  it('reports an OR30 refusal of a cancelable line as INVALID_INPUT (the amounts, taxes or reason)', async () => {
    const mmp = fakeMmp(mmpOrder('SHIPPING'));
    mmp.failNext(refusal());
    expect(await failureOf(cancelOrder(mmp.client, cancelation(1), memoryIntent(), reasons))).toMatchObject({
      code: 'INVALID_INPUT',
      message:
        'MMP OR30 refused the cancelation of lines L1 of order MKP-1 (400): amounts, taxes or reason codes not accepted',
    });
  });
});

describe('refundOrder', () => {
  const refund = (lineId = 'L1') =>
    adjustmentFrom(refundEvent('MKP-1', { currency: 'EUR', line: { order_line_id: lineId } }));

  it('sends OR28 for shipped lines, remembering their refund ids first', async () => {
    const mmp = fakeMmp(mmpOrder('SHIPPED', [['L1', 1, 'SHIPPED', { refunds: ['5'] }]]));
    const intent = memoryIntent();
    await refundOrder(mmp.client, refund(), intent, reasons);
    expect(mmp.calls).toEqual(['OR11', 'OR28']);
    expect(mmp.sent[0]).toMatchObject({
      order_tax_mode: 'TAX_EXCLUDED',
      refunds: [{ order_line_id: 'L1', amount: 15, reason_code: '19' }],
    });
    expect(intent.value).toEqual({ operation: 'OR28', known_ids: ['5'] });
  });

  it('after a lost OR28 response, confirms on redelivery instead of refunding twice', async () => {
    const mmp = fakeMmp(mmpOrder('SHIPPED', [['L1', 1]]));
    const intent = memoryIntent();
    mmp.failNext(lostResponse(), true);
    await expect(refundOrder(mmp.client, refund(), intent, reasons)).rejects.toMatchObject({ transient: true });

    await refundOrder(mmp.client, refund(), intent, reasons);

    expect(mmp.calls).toEqual(['OR11', 'OR28', 'OR11']);
    expect(mmp.current.order_lines[0]?.refunds).toHaveLength(1);
  });

  it('after a lost OR28 that never reached the marketplace, refunds on redelivery: the refund already on the line was remembered', async () => {
    const mmp = fakeMmp(mmpOrder('SHIPPED', [['L1', 1, 'SHIPPED', { refunds: ['5'] }]]));
    const intent = memoryIntent();
    mmp.failNext(lostResponse(), false);
    await expect(refundOrder(mmp.client, refund(), intent, reasons)).rejects.toMatchObject({ transient: true });

    await refundOrder(mmp.client, refund(), intent, reasons);

    expect(mmp.calls).toEqual(['OR11', 'OR28', 'OR11', 'OR28']);
    expect(mmp.current.order_lines[0]?.refunds).toEqual(['5', '101']);
  });

  it('waits for a line not shipped yet, then refunds without reading again', async () => {
    const mmp = fakeMmp(mmpOrder('SHIPPING', [['L1', 1, 'SHIPPING', { refunds: ['5'] }]]));
    const intent = memoryIntent();
    expect(await failureOf(refundOrder(mmp.client, refund(), intent, reasons))).toMatchObject({
      code: 'ORDER_IN_WRONG_STATE',
      transient: true,
    });
    expect(intent.value).toEqual({ operation: 'OR28', known_ids: ['5'], waiting: true });

    mmp.current.order_lines[0]!.order_line_state = 'SHIPPED';
    await refundOrder(mmp.client, refund(), intent, reasons);

    expect(mmp.calls).toEqual(['OR11', 'OR28']);
    expect(mmp.current.order_lines[0]?.refunds).toEqual(['5', '101']);
  });

  it('after a wait, a lost OR28 response is confirmed on the next redelivery, not refunded twice', async () => {
    const mmp = fakeMmp(mmpOrder('SHIPPING', [['L1', 1]]));
    const intent = memoryIntent();
    await failureOf(refundOrder(mmp.client, refund(), intent, reasons));
    mmp.current.order_lines[0]!.order_line_state = 'SHIPPED';
    mmp.failNext(lostResponse(), true);
    await expect(refundOrder(mmp.client, refund(), intent, reasons)).rejects.toMatchObject({ transient: true });

    await refundOrder(mmp.client, refund(), intent, reasons);

    expect(mmp.calls).toEqual(['OR11', 'OR28', 'OR11']);
    expect(mmp.current.order_lines[0]?.refunds).toHaveLength(1);
  });

  it('after a wait, an OR28 refused for a line still not shipped reads the order and waits again', async () => {
    const mmp = fakeMmp(mmpOrder('SHIPPING', [['L1', 1]]));
    const intent = memoryIntent();
    await failureOf(refundOrder(mmp.client, refund(), intent, reasons));
    mmp.failNext(refusal());
    expect(await failureOf(refundOrder(mmp.client, refund(), intent, reasons))).toMatchObject({
      code: 'ORDER_IN_WRONG_STATE',
      transient: true,
    });
    expect(mmp.calls).toEqual(['OR11', 'OR28', 'OR11']);
    expect(intent.value).toEqual({ operation: 'OR28', known_ids: [], waiting: true });
  });

  it('waits for a line not shipped yet, and refuses a canceled line at once', async () => {
    expect(
      await failureOf(
        refundOrder(fakeMmp(mmpOrder('SHIPPING', [['L1', 1]])).client, refund(), memoryIntent(), reasons),
      ),
    ).toMatchObject({
      code: 'ORDER_IN_WRONG_STATE',
      transient: true,
    });
    expect(
      await failureOf(
        refundOrder(fakeMmp(mmpOrder('CANCELED', [['L1', 1]])).client, refund(), memoryIntent(), reasons),
      ),
    ).toEqual({
      code: 'ORDER_IN_WRONG_STATE',
      transient: false,
      message: 'Lines of order MKP-1 cannot be refunded on the marketplace: L1 is CANCELED',
    });
  });

  it('reports a line the order does not have as DATA_NOT_FOUND, an unmapped reason as INVALID_INPUT', async () => {
    expect(
      await failureOf(refundOrder(fakeMmp(mmpOrder('SHIPPED')).client, refund('L9'), memoryIntent(), reasons)),
    ).toMatchObject({ code: 'DATA_NOT_FOUND' });
    expect(
      await failureOf(
        refundOrder(
          fakeMmp(mmpOrder('SHIPPED')).client,
          refund(),
          memoryIntent(),
          createMarketplaceReasons({ configured: { CANCELATION: {}, REFUND: {} }, listReasons: async () => [] }),
        ),
      ),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('MMP_REFUND_REASON_CODES'),
    });
  });
});
