import type { ConnectClient } from '../connect/index.js';
import { currentDeadline } from '../http/index.js';
import type { ActionLedger } from '../ledger/index.js';
import { count, logger, MetricName } from '../observability.js';
import { ActionErrorCode, ActionFailure, type Outcome } from '../outcome.js';
import type { EventIds } from './message.js';
import { countReported } from './metrics.js';

/** A busy order is tried again after this long: the other invocation is usually done by then. */
const BUSY_ORDER_RETRY_SECONDS = 2;

export interface ExactlyOnceOptions {
  connect: ConnectClient;
  ledger: ActionLedger;
}

/**
 * Brings an action to its one final report, with two writes (see action-ledger.ts for why they suffice):
 *
 *   claim the action on its order ─ perform (or take the outcome recorded earlier) ─ report ─ release
 *
 * - a duplicate of a reported action stops at the claim;
 * - `perform` throwing (a transient failure) frees the order unrecorded, so a redelivery performs again;
 * - a report that fails records the outcome, so a redelivery reports it without performing again.
 */
export const createExactlyOnce = (options: ExactlyOnceOptions) => {
  const report = async (actionId: string, outcome: Outcome, ids: EventIds) => {
    const result = await options.connect.reportActionStatus(actionId, outcome).catch((error: unknown) => {
      logger.warn('Connect did not take the report: it is sent again with the next delivery', {
        ...ids,
        outcome: outcome.status,
        reason: ActionFailure.from(error).message,
      });
      count(MetricName.ReportsFailed);
      throw error;
    });
    const errors = outcome.status === 'FAILED' ? outcome.errors : undefined;
    if (result === 'unknown-action') {
      logger.error('Connect does not know this action (expired or unknown): its outcome could not be reported', {
        ...ids,
        outcome: outcome.status,
        errors,
      });
    } else {
      logger.info('Action reported', { ...ids, outcome: outcome.status, errors, report: result });
    }
    countReported(ids, outcome, result);
  };

  /**
   * Returns the outcome reported, or undefined for a duplicate of an action already reported; `reported` hears of
   * the outcome as soon as Connect has it, before the order is freed.
   */
  return async (
    actionId: string,
    ids: EventIds,
    orderKey: string,
    perform: () => Promise<Outcome>,
    reported?: (outcome: Outcome) => void,
  ): Promise<Outcome | undefined> => {
    const claim = await options.ledger.claim(orderKey, actionId, currentDeadline());
    if (claim.kind === 'busy') {
      throw new ActionFailure(ActionErrorCode.UNEXPECTED, `Order ${orderKey} is busy with another action`, {
        transient: true,
        retryAfterSeconds: BUSY_ORDER_RETRY_SECONDS,
      });
    }
    if (claim.kind === 'already-reported') {
      logger.info('Duplicate of an action already reported: skipped', { ...ids });
      count(MetricName.DuplicatesSkipped);
      return undefined;
    }
    if (claim.recorded) logger.info('Outcome recorded earlier: reporting it without performing again', { ...ids });
    let outcome: Outcome | undefined;
    try {
      outcome = claim.recorded ?? (await perform());
      await report(actionId, outcome, ids);
      reported?.(outcome);
    } catch (error) {
      await options.ledger.release(claim.hold, { outcome, reported: false });
      throw error;
    }
    await options.ledger.release(claim.hold, { outcome, reported: true });
    return outcome;
  };
};
