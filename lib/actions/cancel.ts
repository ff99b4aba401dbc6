import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload } from '../connect/index.js';
import { adjustmentOf } from './adjustment.js';
import type { ActionContext } from './action.js';

/** CANCEL: the lines to cancel, with their amounts and reasons → the channel's `cancel`. */
export const cancelAction = (payload: ActionPayload<'CANCEL'>, channel: SalesChannel, context: ActionContext) =>
  channel.cancel(adjustmentOf(payload.channel_order_id, payload.cancelations), context.intent);
