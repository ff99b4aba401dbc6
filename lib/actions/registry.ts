import type { DocumentArchive } from '../archive/index.js';
import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload, ActionType } from '../connect/index.js';
import type { Intent } from '../ledger/index.js';
import { acceptOrder } from './accept.js';
import { acceptReturn } from './accept-return.js';
import { acknowledgeReturnReception } from './acknowledge-return-reception.js';
import { cancelOrder } from './cancel.js';
import { closeReturn } from './close-return.js';
import { refundOrder } from './refund.js';
import { createShipment } from './ship.js';
import { updateReturnTracking } from './update-return-tracking.js';
import { uploadDocument } from './upload-document.js';

/** What an action knows besides its payload. */
export interface ActionContext {
  actionId: string;
  /** Written before a call that is not safe to repeat; read back on a redelivery to reconcile. */
  intent: Intent;
  /** The envelope `id` of the event being handled, when it has one. */
  eventId?: string;
  /** The document archive (UPLOAD_DOCUMENT). */
  documents: DocumentArchive;
}

export type PerformAction<T extends ActionType> = (payload: ActionPayload<T>, channel: SalesChannel, context: ActionContext) => Promise<void>;

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
