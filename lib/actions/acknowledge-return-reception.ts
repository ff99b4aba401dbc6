import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload } from '../connect/index.js';

/** ACKNOWLEDGE_RETURN_RECEPTION: the returned items arrived → the channel's `receiveReturn`. */
export const acknowledgeReturnReceptionAction = (
  payload: ActionPayload<'ACKNOWLEDGE_RETURN_RECEPTION'>,
  channel: SalesChannel,
) => channel.receiveReturn({ channelOrderId: payload.channel_order_id, channelReturnId: payload.channel_return_id });
