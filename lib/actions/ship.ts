import type { ActionPayload } from '../connect/index.js';
import type { SalesChannel } from '../channel/index.js';
import type { ActionContext } from './action.js';

/** CREATE_SHIPMENT: Connect's shipment → the channel's `ship`. No `items` means the whole order. */
export const createShipmentAction = (
  payload: ActionPayload<'CREATE_SHIPMENT'>,
  channel: SalesChannel,
  context: ActionContext,
) =>
  channel.ship(
    {
      channelOrderId: payload.channel_order_id,
      carrier: payload.carrier,
      trackingNumber: payload.tracking_number,
      trackingUrl: payload.tracking_url,
      lines: payload.items?.map((item) => ({
        channelOrderLineId: item.channel_order_line_id,
        quantity: item.quantity,
      })),
    },
    context.intent,
  );
