import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload } from '../connect/index.js';

/** ACCEPT_RETURN: the decision on a return, and the reason of a refusal → the channel's `acceptReturn`. */
export const acceptReturnAction = (payload: ActionPayload<'ACCEPT_RETURN'>, channel: SalesChannel) =>
  channel.acceptReturn({
    channelOrderId: payload.channel_order_id,
    channelReturnId: payload.channel_return_id,
    accepted: payload.accepted,
    rejectionReason: payload.rejection_reason ?? undefined,
  });
