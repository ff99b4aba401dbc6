import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload } from '../connect/index.js';

/** CLOSE_RETURN → the channel's `closeReturn`. */
export const closeReturnAction = (payload: ActionPayload<'CLOSE_RETURN'>, channel: SalesChannel) =>
  channel.closeReturn({ channelOrderId: payload.channel_order_id, channelReturnId: payload.channel_return_id });
