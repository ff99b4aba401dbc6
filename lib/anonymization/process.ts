import { handBackSeconds, type Backoff } from '../backoff.js';
import type { AnonymizeAfterClient } from '../connect/index.js';
import { HttpError, timeLeft } from '../http/index.js';
import { count, errorForLog, logger, type MetricName } from '../observability.js';
import { sendIsolating, type CallResult, type Verdict } from './isolate.js';
import { readUpdateMessage, type OrderIds } from './message.js';
import { planCalls, type PendingUpdate } from './plan.js';
import { tooEarly, type DateRules } from './rules.js';
import type { Disposition, QueueMessage } from '../queue/index.js';

export interface AnonymizationProcessorOptions {
  connect: AnonymizeAfterClient;
  rules: DateRules;
  now?: () => number;
}

/** A call starts only with this much time left: the HTTP client keeps 3 s of it to settle the records. */
const MIN_TIME_FOR_A_CALL_MS = 5_000;

/** What a batch came to, published once per batch (not per record: a batch holds up to thousands). */
const emptyTally = () =>
  ({
    AnonymizationCalls: 0,
    AnonymizationsApplied: 0,
    AnonymizationsRejected: 0,
    AnonymizationsInvalid: 0,
    AnonymizationRetries: 0,
  }) satisfies Partial<Record<MetricName, number>>;
type Tally = ReturnType<typeof emptyTally>;

/**
 * A batch of anonymization updates, end to end: every record is read and checked first (an invalid one is
 * dead-lettered alone), each order keeps its most recent update, and the rest go to Connect 100 per call,
 * isolating the orders Connect refuses so that every other one is applied.
 */
export const createAnonymizationProcessor = (options: AnonymizationProcessorOptions) => {
  const now = options.now ?? Date.now;

  const send = async (updates: PendingUpdate[], tally: Tally): Promise<CallResult> => {
    if (timeLeft() < MIN_TIME_FOR_A_CALL_MS)
      return { kind: 'not-sent', reason: 'too little time left in this invocation' };
    tally.AnonymizationCalls += 1;
    try {
      return await options.connect.updateAnonymizeAfter(updates.map((update) => update.order));
    } catch (error) {
      if (error instanceof HttpError)
        return { kind: 'not-sent', reason: error.message, retryAfterSeconds: error.details.retryAfterSeconds };
      logger.error('Unexpected error while calling Connect', { error: errorForLog(error) });
      return { kind: 'not-sent', reason: 'unexpected error in the connector' };
    }
  };

  return async (records: QueueMessage[]): Promise<Map<string, Disposition>> => {
    const tally = emptyTally();
    const dispositions = new Map<string, Disposition>();
    const receiveCounts = new Map(records.map((record) => [record.id, record.receiveCount]));
    const pending: PendingUpdate[] = [];
    for (const record of records) {
      const read = readUpdateMessage(record.body, { now: now(), sentAt: record.sentTimestamp }, options.rules);
      if (read.kind === 'invalid') {
        dispositions.set(record.id, deadLetter(record.id, read.ids, read.reason, tally));
      } else {
        pending.push({
          recordId: record.id,
          sentAt: record.sentTimestamp,
          order: read.order,
          anonymizeAfter: read.anonymizeAfter,
        });
      }
    }

    const { calls, superseded } = planCalls(pending);
    for (const update of superseded) {
      logger.info('Superseded by a later update of the same order in this batch', {
        message_id: update.recordId,
        ...idsOf(update),
      });
      dispositions.set(update.recordId, { kind: 'done' });
    }
    for (const call of calls) {
      const expired = (update: PendingUpdate) =>
        tooEarly(update.anonymizeAfter, { now: now(), sentAt: update.sentAt }, options.rules);
      const verdicts = await sendIsolating(call, { send: (updates) => send(updates, tally), expired });
      for (const [update, verdict] of verdicts) {
        dispositions.set(update.recordId, dispose(update, verdict, receiveCounts.get(update.recordId) ?? 1, tally));
      }
    }
    for (const [name, value] of Object.entries(tally)) count(name as keyof Tally, value);
    return dispositions;
  };
};

const dispose = (update: PendingUpdate, verdict: Verdict, receiveCount: number, tally: Tally): Disposition => {
  const ids = { message_id: update.recordId, ...idsOf(update) };
  switch (verdict.kind) {
    case 'applied':
      logger.info('anonymize_after updated', ids);
      tally.AnonymizationsApplied += 1;
      return { kind: 'done' };
    case 'expired':
      return deadLetter(update.recordId, idsOf(update), verdict.reason, tally);
    case 'rejected': {
      const reason = `Connect refused it: ${verdict.code ?? 'no error code'}${verdict.field ? ` at ${verdict.field}` : ' (found by bisection)'}`;
      logger.warn('Connect refused the update: it goes back to the queue', {
        ...ids,
        code: verdict.code,
        field: verdict.field,
      });
      tally.AnonymizationsRejected += 1;
      return { kind: 'retry', reason, afterSeconds: anonymizationHandBackSeconds(undefined, receiveCount) };
    }
    case 'not-sent':
      logger.warn('Update not sent: it goes back to the queue', { ...ids, reason: verdict.reason });
      tally.AnonymizationRetries += 1;
      return {
        kind: 'retry',
        reason: verdict.reason,
        afterSeconds: anonymizationHandBackSeconds(verdict.retryAfterSeconds, receiveCount),
      };
  }
};

const deadLetter = (recordId: string, ids: OrderIds, reason: string, tally: Tally): Disposition => {
  logger.error('Invalid anonymization update: moved to the dead-letter queue', {
    message_id: recordId,
    ...ids,
    reason,
  });
  tally.AnonymizationsInvalid += 1;
  return { kind: 'dead-letter', reason };
};

const idsOf = (update: PendingUpdate): OrderIds => ({
  channel_id: update.order.channel_id,
  channel_order_id: update.order.channel_order_id,
});

/** 30 s doubling with each delivery, up to 15 min. */
const ANONYMIZATION_BACKOFF: Backoff = { base: 30, cap: 15 * 60, jitter: false };

/** How long an update is handed back: Connect's `Retry-After` when it gave one, otherwise the backoff. */
export const anonymizationHandBackSeconds = (retryAfterSeconds: number | undefined, receiveCount: number): number =>
  handBackSeconds(ANONYMIZATION_BACKOFF, receiveCount, retryAfterSeconds);
