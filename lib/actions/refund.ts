import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload } from '../connect/index.js';
import { adjustmentOf } from './adjustment.js';
import type { ActionContext } from './action.js';

/** REFUND: the lines to refund (`order_line_id` is read as `channel_order_line_id`) → the channel's `refund`. */
export const refundAction = (payload: ActionPayload<'REFUND'>, channel: SalesChannel, context: ActionContext) =>
  channel.refund(adjustmentOf(payload.channel_order_id, payload.refunds), context.intent);
