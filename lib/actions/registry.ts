import type { SalesChannel } from '../channel/index.js';
import type { ActionType, OrderActionOf } from '../connect/index.js';
import type { ActionContext, PerformAction } from './action.js';
import { acceptOrder } from './accept.js';
import { acceptReturn } from './accept-return.js';
import { acknowledgeReturnReception } from './acknowledge-return-reception.js';
import { cancelOrder } from './cancel.js';
import { closeReturn } from './close-return.js';
import { refundOrder } from './refund.js';
import { createShipment } from './ship.js';
import { updateReturnTracking } from './update-return-tracking.js';
import { uploadDocument } from './upload-document.js';

/** What the connector does for each OrderActionEvent `type` of the vendor spec (an unknown type is rejected earlier). */
export const actions: { [T in ActionType]: PerformAction<T> } = {
  ACCEPT: acceptOrder,
  CREATE_SHIPMENT: createShipment,
  CANCEL: cancelOrder,
  REFUND: refundOrder,
  ACCEPT_RETURN: acceptReturn,
  UPDATE_RETURN_TRACKING_INFORMATION: updateReturnTracking,
  ACKNOWLEDGE_RETURN_RECEPTION: acknowledgeReturnReception,
  CLOSE_RETURN: closeReturn,
  UPLOAD_DOCUMENT: uploadDocument,
};

/** Carries a parsed action out on the channel. */
export const perform = <T extends ActionType>(action: OrderActionOf<T>, channel: SalesChannel, context: ActionContext): Promise<void> =>
  actions[action.type](action.payload, channel, context);
