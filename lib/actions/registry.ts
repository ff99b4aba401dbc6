import type { SalesChannel } from '../channel/index.js';
import type { ActionType, OrderActionOf } from '../connect/index.js';
import type { ActionContext, PerformAction } from './action.js';
import { acceptAction } from './accept.js';
import { acceptReturnAction } from './accept-return.js';
import { acknowledgeReturnReceptionAction } from './acknowledge-return-reception.js';
import { cancelAction } from './cancel.js';
import { closeReturnAction } from './close-return.js';
import { refundAction } from './refund.js';
import { createShipmentAction } from './ship.js';
import { updateReturnTrackingAction } from './update-return-tracking.js';
import { uploadDocumentAction } from './upload-document.js';

/** What the connector does for each OrderActionEvent `type` of the vendor spec (an unknown type is rejected earlier). */
export const actions: { [T in ActionType]: PerformAction<T> } = {
  ACCEPT: acceptAction,
  CREATE_SHIPMENT: createShipmentAction,
  CANCEL: cancelAction,
  REFUND: refundAction,
  ACCEPT_RETURN: acceptReturnAction,
  UPDATE_RETURN_TRACKING_INFORMATION: updateReturnTrackingAction,
  ACKNOWLEDGE_RETURN_RECEPTION: acknowledgeReturnReceptionAction,
  CLOSE_RETURN: closeReturnAction,
  UPLOAD_DOCUMENT: uploadDocumentAction,
};

/** Carries a parsed action out on the channel. */
export const perform = <T extends ActionType>(
  action: OrderActionOf<T>,
  channel: SalesChannel,
  context: ActionContext,
): Promise<void> => actions[action.type](action.payload, channel, context);
