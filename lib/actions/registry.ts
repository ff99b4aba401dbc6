import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload, ActionType } from '../connect/index.js';
import { createShipment } from './ship.js';

export type PerformAction<T extends ActionType> = (payload: ActionPayload<T>, channel: SalesChannel) => Promise<void>;

/**
 * What the connector can do for each OrderActionEvent `type`. A type of the vendor spec that is not here yet
 * ends FAILED ACTION_NOT_SUPPORTED: reported at once, never left pending.
 */
export const actions: { [T in ActionType]?: PerformAction<T> } = {
  CREATE_SHIPMENT: createShipment,
};
