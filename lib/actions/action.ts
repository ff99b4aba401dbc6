import type { DocumentArchive } from '../archive/index.js';
import type { SalesChannel } from '../channel/index.js';
import type { ActionPayload, ActionType } from '../connect/index.js';
import type { Intent } from '../ledger/index.js';

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

export type PerformAction<T extends ActionType> = (
  payload: ActionPayload<T>,
  channel: SalesChannel,
  context: ActionContext,
) => Promise<void>;
