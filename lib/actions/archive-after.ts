import type { ActionTarget, ActionType } from '../connect/index.js';
import { logger } from '../observability.js';
import type { EventIds } from './message.js';

/** Actions after which the order's documents are worth archiving: the marketplace may have added some. */
const ARCHIVE_AFTER: ReadonlySet<ActionType> = new Set(['CREATE_SHIPMENT', 'UPLOAD_DOCUMENT']);

/** Sends a message to the document-archive queue. */
export type EnqueueArchive = (body: string) => Promise<void>;

/**
 * When configured (ARCHIVE_DOCUMENTS_AFTER), a successful shipment or document upload asks the documentArchive
 * function to archive the order's marketplace documents. The action is done and reported by then: a failure
 * to enqueue is logged, never retried through the action.
 */
export const requestArchiveAfter = async (
  enqueue: EnqueueArchive,
  type: ActionType,
  target: ActionTarget,
  ids: EventIds,
) => {
  if (!ARCHIVE_AFTER.has(type)) return;
  const request = {
    source: 'marketplace',
    order_id: target.channel_order_id,
    channel_store_id: target.channel_store_id,
    channel_id: target.channel_id,
  };
  try {
    await enqueue(JSON.stringify(request));
    logger.info('Archive of the order documents requested', { ...ids });
  } catch (error) {
    logger.warn('Could not request the archive of the order documents', {
      ...ids,
      reason: error instanceof Error ? error.name : 'error',
    });
  }
};
