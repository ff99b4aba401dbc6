import type { ActionTarget } from '../connect/index.js';
import { logger } from '../observability.js';
import type { EventIds } from './message.js';

/** Sends a message to the order-refresh queue. */
export type EnqueueRefresh = (body: string) => Promise<void>;

/**
 * After each report (SUCCESS or FAILED), the action's order is named on the order-refresh queue, so orderRefresh
 * re-reads it (and its returns) from the marketplace and upserts the state the action produced (invariant 17).
 * The action is reported by then: a failure to enqueue is logged, and the next scheduled run brings the state.
 */
export const requestRefreshAfter = async (enqueue: EnqueueRefresh, target: ActionTarget, ids: EventIds) => {
  try {
    await enqueue(
      JSON.stringify({ channel_order_id: target.channel_order_id, channel_store_id: target.channel_store_id }),
    );
    logger.info('Refresh of the order requested', { ...ids });
  } catch (error) {
    logger.warn('Could not request the refresh of the order: the next scheduled run brings its state', {
      ...ids,
      reason: error instanceof Error ? error.name : 'error',
    });
  }
};
