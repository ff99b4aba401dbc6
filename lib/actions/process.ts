import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ChannelDirectory } from '../channel/index.js';
import type { ConnectClient } from '../connect/index.js';
import { HttpError } from '../http/index.js';
import { logger, metrics } from '../observability.js';
import { ActionErrorCode, ActionFailure, failed, succeeded, type Outcome } from '../outcome.js';
import { readMessage, type EventIds } from './message.js';
import { actions, type PerformAction } from './registry.js';

export interface QueueMessage {
  body: string;
  /** When the message was first sent to the queue (epoch ms): the retry window is measured from it. */
  sentTimestamp: number;
  /** How many times SQS has delivered it, this time included. */
  receiveCount: number;
}

/** What the function must do with the message once the action has been handled. */
export type Disposition =
  | { kind: 'done' }
  | { kind: 'dead-letter'; reason: string }
  | { kind: 'retry'; reason: string; afterSeconds: number };

export interface ProcessorOptions {
  channels: ChannelDirectory;
  connect: ConnectClient;
  /** How long transient failures are retried, from the message's first send; then the action is FAILED. */
  retryWindowMs: number;
  now?: () => number;
}

/**
 * One order-action message, end to end: read it, carry the action out on the channel, report the outcome
 * to Connect. Permanent failures are reported FAILED at once; transient ones are handed back to SQS until
 * the retry window closes, then reported FAILED with the code of the last failure. A report that does not
 * reach Connect is retried the same way (the channel side is safe to repeat: see the adapters).
 */
export const createMessageProcessor = (options: ProcessorOptions) => {
  const now = options.now ?? Date.now;

  const report = async (actionId: string, outcome: Outcome, ids: EventIds): Promise<Disposition> => {
    const result = await options.connect.reportActionStatus(actionId, outcome);
    const errors = outcome.status === 'FAILED' ? outcome.errors : undefined;
    if (result === 'unknown-action') {
      logger.error('Connect does not know this action (expired or unknown): its outcome was not recorded', { ...ids, outcome: outcome.status, errors });
      metrics.addMetric('ExpiredActions', MetricUnit.Count, 1);
    } else {
      logger.info('Action reported', { ...ids, outcome: outcome.status, errors, report: result });
    }
    metrics.addMetric(outcome.status === 'SUCCESS' ? 'ActionsSucceeded' : 'ActionsFailed', MetricUnit.Count, 1);
    return { kind: 'done' };
  };

  const handle = async (message: QueueMessage): Promise<Disposition> => {
    const read = readMessage(message.body);
    const { ids } = read;
    switch (read.kind) {
      case 'poison':
        logger.error('Unreadable message moved to the dead-letter queue', { ...ids, reason: read.reason });
        metrics.addMetric('PoisonMessages', MetricUnit.Count, 1);
        return { kind: 'dead-letter', reason: read.reason };
      case 'not-an-action':
        logger.info('Event is not an order action: acknowledged', { ...ids });
        metrics.addMetric('IgnoredEvents', MetricUnit.Count, 1);
        return { kind: 'done' };
      case 'rejected':
        return report(read.actionId, read.outcome, ids);
    }

    const perform = actions[read.type] as PerformAction<typeof read.type> | undefined;
    const notSupported = failed(ActionErrorCode.ACTION_NOT_SUPPORTED, `${read.type} is not supported by this connector yet`);
    if (!perform) return report(read.actionId, notSupported, ids);
    let outcome: Outcome;
    try {
      const channel = await options.channels.forStore(ids.store as string);
      await perform(read.payload as never, channel);
      outcome = succeeded;
    } catch (error) {
      const failure = asFailure(error);
      if (failure.transient && now() - message.sentTimestamp < options.retryWindowMs) throw failure;
      if (failure.transient) logger.warn('Retry window closed: reporting the action as failed', { ...ids, reason: failure.message });
      outcome = failure.toOutcome();
    }
    return report(read.actionId, outcome, ids);
  };

  return async (message: QueueMessage): Promise<Disposition> => {
    try {
      return await handle(message);
    } catch (error) {
      const failure = asFailure(error);
      if (!failure.transient) throw error;
      logger.warn('Transient failure: the message goes back to the queue', { ...readMessage(message.body).ids, code: failure.code, reason: failure.message });
      metrics.addMetric('Retries', MetricUnit.Count, 1);
      return { kind: 'retry', reason: failure.message, afterSeconds: retryDelaySeconds(failure.retryAfterSeconds, message.receiveCount) };
    }
  };
};

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

/** Anything that is not already an ActionFailure (a bug, a malformed answer) is retried, then UNEXPECTED. */
const asFailure = (error: unknown): ActionFailure => {
  if (error instanceof ActionFailure) return error;
  if (error instanceof HttpError) {
    const code = error.status === 429 ? ActionErrorCode.TOO_MANY_REQUEST : error.transient ? ActionErrorCode.UNAVAILABLE : ActionErrorCode.UNEXPECTED;
    return new ActionFailure(code, error.message, { transient: error.transient, retryAfterSeconds: error.details.retryAfterSeconds });
  }
  const name = error instanceof Error ? error.name : 'error';
  logger.error('Unexpected error while handling an action', { error: error instanceof Error ? { name, stack: error.stack } : undefined });
  return new ActionFailure(ActionErrorCode.UNEXPECTED, `Unexpected ${name} in the connector`, { transient: true });
};
