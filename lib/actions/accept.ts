import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload } from '../connect/index.js';

/** ACCEPT: each line's decision → the channel's `accept`. */
export const acceptAction = (payload: ActionPayload<'ACCEPT'>, channel: SalesChannel) =>
  channel.accept({
    channelOrderId: payload.channel_order_id,
    lines: payload.order_lines.map((line) => ({
      channelOrderLineId: line.channel_order_line_id,
      accepted: line.accepted,
    })),
  });
