import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload } from '../connect/index.js';

/** UPDATE_RETURN_TRACKING_INFORMATION: RMA, label and tracking of a return → the channel's `updateReturnTracking`. */
export const updateReturnTrackingAction = (
  payload: ActionPayload<'UPDATE_RETURN_TRACKING_INFORMATION'>,
  channel: SalesChannel,
) =>
  channel.updateReturnTracking({
    channelOrderId: payload.channel_order_id,
    channelReturnId: payload.channel_return_id,
    rmaId: payload.rma_id,
    labelUrl: payload.label_url,
    carrier: payload.tracking?.carrier,
    trackingNumber: payload.tracking?.tracking_number,
    trackingUrl: payload.tracking?.tracking_url,
  });
