import type { Adjustment } from '../channel/index.js';
import type { ActionPayload } from '../connect/index.js';

type AdjustmentPayloadLine = ActionPayload<'CANCEL'>['cancelations'][number];

/** Connect's cancelation or refund lines (the same shape in CANCEL and REFUND) → the channel's adjustment. */
export const adjustmentOf = (channelOrderId: string, lines: AdjustmentPayloadLine[]): Adjustment => ({
  channelOrderId,
  lines: lines.map((line) => ({
    channelOrderLineId: line.channel_order_line_id,
    quantity: line.quantity,
    reason: line.reason,
    price: line.price,
    shippingPrice: line.shipping_price,
    taxes: line.taxes,
    shippingTaxes: line.shipping_taxes,
  })),
});
