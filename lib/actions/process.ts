import type { DocumentArchive } from '../archive/index.js';
import type { ChannelDirectory } from '../channel/index.js';
import type { ActionTarget } from '../connect/index.js';
import { HttpError } from '../http/index.js';
import type { IntentsOf } from '../ledger/index.js';
import { count, countBy, errorForLog, logger, MetricName } from '../observability.js';
import { ActionErrorCode, ActionFailure, succeeded } from '../outcome.js';
import type { Disposition, QueueMessage } from '../queue/index.js';
import { requestArchiveAfter, type EnqueueArchive } from './archive-after.js';
import { readMessage, type EventIds } from './message.js';
import { countReceived } from './metrics.js';
import { actions, type PerformAction } from './registry.js';
import { createSettler, type SettleOptions } from './settle.js';

export interface ProcessorOptions extends SettleOptions {
  channels: ChannelDirectory;
  intents: IntentsOf;
  documents: DocumentArchive;
  /** How long transient failures are retried, from the message's first send; then the action is FAILED. */
  retryWindowMs: number;
  /** Set when ARCHIVE_DOCUMENTS_AFTER is on: where archive requests go after a shipment or a document upload. */
  archiveAfter?: EnqueueArchive;
  now?: () => number;
}

/**
 * One order-action message, end to end: read it, carry the action out on the channel once, report the
 * outcome (see settle.ts for how that happens once). A transient failure hands the message back to SQS,
 * with its visibility set from Retry-After or the backoff, until the retry window closes: then the action
 * is FAILED with the code of the last failure.
 */
export const createMessageProcessor = (options: ProcessorOptions) => {
  const now = options.now ?? Date.now;
  const settle = createSettler(options);

  /** Carries the action out on the channel; permanent failures become a FAILED outcome, transient ones are thrown. */
  const performOnChannel = async <T extends Parameters<typeof actionOf>[0]>(type: T, actionId: string, payload: unknown, ids: EventIds, message: QueueMessage) => {
    const perform = actionOf(type);
    try {
      const channel = await options.channels.forStore(ids.store as string);
      await perform(payload as never, channel, { actionId, eventId: ids.event_id, intent: options.intents(actionId), documents: options.documents });
      return succeeded;
    } catch (error) {
      const failure = asFailure(error);
      if (failure.transient && now() - message.sentTimestamp < options.retryWindowMs) throw failure;
      if (failure.transient) logger.warn('Retry window closed: the action is failed', { ...ids, reason: failure.message });
      return failure.toOutcome();
    }
  };

  const handle = async (message: QueueMessage): Promise<Disposition> => {
    const read = readMessage(message.body);
    switch (read.kind) {
      case 'poison':
        logger.error('Unreadable message moved to the dead-letter queue', { ...read.ids, reason: read.reason });
        count(MetricName.PoisonMessages);
        return { kind: 'dead-letter', reason: read.reason };
      case 'not-an-action':
        logger.info('Event is not an order action: acknowledged', { ...read.ids });
        count(MetricName.IgnoredEvents);
        return { kind: 'done' };
      case 'rejected':
        countReceived(read.ids);
        await settle(read.actionId, read.ids, message.id, async () => read.outcome);
        return { kind: 'done' };
      case 'action': {
        countReceived(read.ids);
        const outcome = await settle(read.actionId, read.ids, message.id, () => performOnChannel(read.type, read.actionId, read.payload, read.ids, message));
        if (outcome?.status === 'SUCCESS' && options.archiveAfter) {
          await requestArchiveAfter(options.archiveAfter, read.type, read.payload as ActionTarget, read.ids);
        }
        return { kind: 'done' };
      }
    }
  };

  return async (message: QueueMessage): Promise<Disposition> => {
    try {
      return await handle(message);
    } catch (error) {
      const failure = asFailure(error);
      if (!failure.transient) throw error;
      logger.warn('Transient failure: the message goes back to the queue', { ...readMessage(message.body).ids, code: failure.code, reason: failure.message });
      countBy(MetricName.Retries, { code: failure.code });
      return { kind: 'retry', reason: failure.message, afterSeconds: retryDelaySeconds(failure.retryAfterSeconds, message.receiveCount) };
    }
  };
};

const actionOf = <T extends keyof typeof actions>(type: T) => actions[type] as PerformAction<T>;

const MAX_RETRY_DELAY_SECONDS = 15 * 60;

/**
 * How long SQS keeps a message hidden before the next attempt: the server's `Retry-After` when it gave one,
 * otherwise exponential backoff on the receive count (5 s, 10 s, 20 s ... up to 15 min) with full jitter.
 */
export const retryDelaySeconds = (retryAfterSeconds: number | undefined, receiveCount: number): number => {
  if (retryAfterSeconds !== undefined) return Math.min(MAX_RETRY_DELAY_SECONDS, Math.max(1, Math.ceil(retryAfterSeconds)));
  const ceiling = Math.min(MAX_RETRY_DELAY_SECONDS, 5 * 2 ** Math.max(0, receiveCount - 1));
  return Math.max(1, Math.round(Math.random() * ceiling));
};

/** Anything that is not already an ActionFailure (a bug, a malformed answer, an AWS outage) is retried, then UNEXPECTED. */
const asFailure = (error: unknown): ActionFailure => {
  if (error instanceof ActionFailure) return error;
  if (error instanceof HttpError) {
    const code = error.status === 429 ? ActionErrorCode.TOO_MANY_REQUEST : error.transient ? ActionErrorCode.UNAVAILABLE : ActionErrorCode.UNEXPECTED;
    return new ActionFailure(code, error.message, { transient: error.transient, retryAfterSeconds: error.details.retryAfterSeconds });
  }
  const name = error instanceof Error ? error.name : 'error';
  logger.error('Unexpected error while handling an action', { error: errorForLog(error) });
  return new ActionFailure(ActionErrorCode.UNEXPECTED, `Unexpected ${name} in the connector`, { transient: true });
};
