import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload, ActionType } from '../connect/index.js';
import type { Intent } from '../ledger/index.js';
import { createShipment } from './ship.js';

/** What an action knows besides its payload. */
export interface ActionContext {
  actionId: string;
  /** Written before a call that is not safe to repeat; read back on a redelivery to reconcile. */
  intent: Intent;
}

export type PerformAction<T extends ActionType> = (payload: ActionPayload<T>, channel: SalesChannel, context: ActionContext) => Promise<void>;

/**
 * What the connector can do for each OrderActionEvent `type`. A type of the vendor spec that is not here yet
 * ends FAILED ACTION_NOT_SUPPORTED: reported at once, never left pending.
 */
export const actions: { [T in ActionType]?: PerformAction<T> } = {
  CREATE_SHIPMENT: createShipment,
};
