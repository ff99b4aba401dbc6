import { ActionErrorCode, ActionFailure } from '../../outcome.js';
import type { Adjustment, AdjustmentLine, Tax } from '../port.js';
import type { MmpAdjustmentLine, MmpOrder } from './client.js';
import { unmappedReasons, type MarketplaceReasons, type ReasonType } from './reasons/index.js';

/** Which of a line's adjustments a call creates: refunds (OR28) or cancelations (OR30). */
export type AdjustmentKind = 'refunds' | 'cancelations';

/** What cancelations and refunds need of the operator's reasons (reasons/marketplace-reasons.ts). */
export type ReasonLookup = Pick<MarketplaceReasons, 'codeFor' | 'onOffer'>;

/**
 * The operator's code of every reason of the adjustment (configured, else matched on the marketplace's labels):
 * a reason with none is INVALID_INPUT, before any call, naming the codes on offer and the variable to set.
 */
export const reasonCodesFor = async (
  reasons: ReasonLookup,
  type: ReasonType,
  adjustment: Adjustment,
): Promise<Record<string, string>> => {
  const wanted = [...new Set(adjustment.lines.map((line) => line.reason))];
  const codes = await Promise.all(wanted.map(async (reason) => [reason, await reasons.codeFor(type, reason)] as const));
  const unmapped = codes.filter(([, code]) => code === undefined).map(([reason]) => reason);
  if (unmapped.length > 0)
    throw unmappedReasons(adjustment.channelOrderId, type, unmapped, await reasons.onOffer(type));
  return Object.fromEntries(codes) as Record<string, string>;
};

/**
 * Connect's cancelation or refund lines → OR30/OR28 lines, with the reasons' codes (`reasonCodesFor`). Amounts
 * pass as they are: Connect's prices exclude taxes, so the body says `order_tax_mode: TAX_EXCLUDED`. Each line's
 * amounts come in one currency, which the body names (`assertOrderCurrency` holds it to the order's).
 */
export const adjustmentLines = (
  adjustment: Adjustment,
  reasonCodes: Readonly<Record<string, string>>,
): MmpAdjustmentLine[] =>
  adjustment.lines.map((line) => ({
    order_line_id: line.channelOrderLineId,
    quantity: line.quantity,
    amount: line.price.amount,
    shipping_amount: line.shippingPrice.amount,
    reason_code: reasonCodes[line.reason] as string,
    currency_iso_code: currencyOf(adjustment, line),
    ...(line.taxes.length > 0 && { taxes: line.taxes.map(taxBody) }),
    ...(line.shippingTaxes.length > 0 && { shipping_taxes: line.shippingTaxes.map(taxBody) }),
  }));

/** Every amount must be in the order's currency: anything else is INVALID_INPUT, before any call. */
export const assertOrderCurrency = (order: MmpOrder, adjustment: Adjustment) => {
  const expected = order.currency_iso_code;
  if (expected === undefined) return;
  for (const line of adjustment.lines) {
    const currencies = currenciesOf(line);
    if (currencies.some((currency) => currency !== expected)) {
      throw new ActionFailure(
        ActionErrorCode.INVALID_INPUT,
        `Line ${line.channelOrderLineId} of order ${order.order_id} has amounts in ${currencies.join(', ')}; the marketplace order is in ${expected}`,
      );
    }
  }
};

const taxBody = (tax: Tax) => ({ code: tax.code, amount: tax.amount.amount });

const currenciesOf = (line: AdjustmentLine): string[] => [
  ...new Set(
    [
      line.price,
      line.shippingPrice,
      ...line.taxes.map((tax) => tax.amount),
      ...line.shippingTaxes.map((tax) => tax.amount),
    ].map((money) => money.currency),
  ),
];

const currencyOf = (adjustment: Adjustment, line: AdjustmentLine): string => {
  const [currency, ...others] = currenciesOf(line);
  if (others.length > 0) {
    throw new ActionFailure(
      ActionErrorCode.INVALID_INPUT,
      `Line ${line.channelOrderLineId} of order ${adjustment.channelOrderId} has amounts in ${[currency, ...others].join(', ')}: the marketplace takes one currency a line`,
    );
  }
  return currency as string;
};

/** The ids of the refunds or cancelations the lines show now: what a lost call is reconciled against. */
export const adjustmentIds = (order: MmpOrder, lineIds: string[], kind: AdjustmentKind): string[] =>
  order.order_lines.filter((line) => lineIds.includes(line.order_line_id)).flatMap((line) => line[kind]);

export const lineIdsOf = (adjustment: Adjustment): string[] => [
  ...new Set(adjustment.lines.map((line) => line.channelOrderLineId)),
];
