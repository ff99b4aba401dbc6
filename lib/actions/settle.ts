import type { ConnectClient } from '../connect/index.js';
import { currentDeadline, HttpError } from '../http/index.js';
import type { ActionRecords, OrderLeases } from '../ledger/index.js';
import { count, errorForLog, logger, MetricName } from '../observability.js';
import { ActionErrorCode, ActionFailure, type Outcome } from '../outcome.js';
import { orderKeyOf, type EventIds } from './message.js';
import { countReported } from './metrics.js';

/** A busy order is tried again after this long: the other invocation is usually done by then. */
const BUSY_ORDER_RETRY_SECONDS = 2;

export interface SettleOptions {
  connect: ConnectClient;
  records: ActionRecords;
  leases: OrderLeases;
}

/**
 * Brings an action to its one final report. The order of the steps is what makes effects happen once:
 *
 *   lease the order ─ perform once, record the outcome ─ report it ─ release (noting it reported)
 *
 * - a duplicate of a reported action stops at the lease;
 * - a redelivery after a failed report finds the recorded outcome and reports it, without performing again;
 * - `perform` throwing (a transient failure) deletes the in-progress record and releases the lease, so a
 *   redelivery performs again; the error is passed on for the message to be handed back to SQS;
 * - a crash leaves a lease and an in-progress record that both end at the crashed invocation's deadline;
 *   the redelivery performs again, and the channel adapter reads the order first to complete or confirm.
 */
export const createSettler = (options: SettleOptions) => {
  const report = async (actionId: string, outcome: Outcome, ids: EventIds) => {
    const result = await options.connect.reportActionStatus(actionId, outcome).catch((error: unknown) => {
      const reason = error instanceof HttpError ? error.message : errorForLog(error).name;
      logger.warn('Connect did not take the report: it is sent again with the next delivery', { ...ids, outcome: outcome.status, reason });
      count(MetricName.ReportsFailed);
      throw error;
    });
    const errors = outcome.status === 'FAILED' ? outcome.errors : undefined;
    if (result === 'unknown-action') {
      logger.error('Connect does not know this action (expired or unknown): its outcome could not be reported', { ...ids, outcome: outcome.status, errors });
    } else {
      logger.info('Action reported', { ...ids, outcome: outcome.status, errors, report: result });
    }
    countReported(ids, outcome, result);
  };

  /** Returns the outcome reported, or undefined for a duplicate of an action already reported. */
  return async (actionId: string, ids: EventIds, messageId: string, perform: () => Promise<Outcome>): Promise<Outcome | undefined> => {
    const orderKey = orderKeyOf(ids, messageId);
    const taken = await options.leases.acquire(orderKey, actionId, currentDeadline());
    if (taken.kind === 'busy') {
      throw new ActionFailure(ActionErrorCode.UNEXPECTED, `Order ${orderKey} is busy with another action`, {
        transient: true,
        retryAfterSeconds: BUSY_ORDER_RETRY_SECONDS,
      });
    }
    if (taken.kind === 'already-reported') {
      logger.info('Duplicate of an action already reported: skipped', { ...ids });
      count(MetricName.DuplicatesSkipped);
      return undefined;
    }
    let reported = false;
    try {
      const { outcome, replayed } = await options.records.once(actionId, perform);
      if (replayed) logger.info('Outcome recorded earlier: reporting it without performing again', { ...ids });
      await report(actionId, outcome, ids);
      reported = true;
      return outcome;
    } finally {
      await options.leases.release(taken.lease, reported);
    }
  };
};
