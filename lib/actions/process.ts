import type { DocumentArchive } from '../archive/index.js';
import type { ChannelDirectory } from '../channel/index.js';
import { ConnectorError } from '../errors.js';
import type { IntentsOf } from '../ledger/index.js';
import { count, countBy, errorForLog, logger, MetricName, observeRecord } from '../observability.js';
import { ActionErrorCode, ActionFailure, succeeded, type Outcome } from '../outcome.js';
import type { Disposition, QueueMessage } from '../queue/index.js';
import { planBatch } from './batch-plan.js';
import { orderKeyOf, readMessage, type ReadMessage } from './message.js';
import { countReceived } from './metrics.js';
import { perform } from './registry.js';
import { createExactlyOnce, type ExactlyOnceOptions } from './exactly-once.js';
import { createFollowUps, type FollowUpQueues, type RecordFollowUps } from './follow-ups.js';
import { handBackSeconds, type Backoff } from '../backoff.js';

export interface ProcessorOptions extends ExactlyOnceOptions {
  channels: ChannelDirectory;
  intents: IntentsOf;
  documents: DocumentArchive;
  /** How long transient failures are retried, from the message's first send; then the action is FAILED. */
  retryWindowMs: number;
  /** Records of a batch carried out at once (one at a time per order). */
  concurrency: number;
  /** How long an action waiting for the order or return to reach a state is handed back, unless told otherwise. */
  stateWaitSeconds: number;
  /** Where orders are named once their actions are reported (follow-ups.ts). */
  followUps: FollowUpQueues;
  now?: () => number;
}

/**
 * A batch of order-action messages, end to end: each message is read once, then its action is carried out on the
 * channel once and its outcome reported (exactly-once.ts), all records at once except that actions on one order run one
 * after the other in event `time` order (batch-plan.ts). Returns what becomes of each message on SQS: a transient
 * failure is handed back with its visibility set from Retry-After or the backoff, until the retry window closes:
 * then the action is FAILED with the code of the last failure.
 */
export const createBatchProcessor = (options: ProcessorOptions) => {
  const now = options.now ?? Date.now;
  const exactlyOnce = createExactlyOnce(options);

  /** Carries the action out on the channel; permanent failures become a FAILED outcome, transient ones are thrown. */
  const performOnChannel = async (
    read: Extract<ReadMessage, { kind: 'action' }>,
    message: QueueMessage,
  ): Promise<Outcome> => {
    try {
      const channel = await options.channels.forStore(read.action.payload.channel_store_id);
      const context = {
        actionId: read.actionId,
        eventId: read.ids.event_id,
        intent: options.intents(read.actionId),
        documents: options.documents,
      };
      await perform(read.action, channel, context);
      return succeeded;
    } catch (error) {
      const failure = failureOf(error);
      if (failure.transient && now() - message.sentTimestamp < options.retryWindowMs) throw failure;
      if (failure.transient)
        logger.warn('Retry window closed: the action is failed', { ...read.ids, reason: failure.message });
      return failure.toOutcome();
    }
  };

  const handle = async ({ read, message, orderKey, followUp }: BatchRecord): Promise<Disposition> => {
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
        await exactlyOnce(read.actionId, read.ids, orderKey, async () => read.outcome);
        return { kind: 'done' };
      case 'action': {
        countReceived(read.ids);
        await exactlyOnce(
          read.actionId,
          read.ids,
          orderKey,
          () => performOnChannel(read, message),
          (outcome) => followUp.reported(read.action.type, read.action.payload, outcome),
        );
        return { kind: 'done' };
      }
    }
  };

  const handleOrHandBack = async (record: BatchRecord): Promise<Disposition> => {
    const { read, message } = record;
    try {
      return await handle(record);
    } catch (error) {
      const failure = failureOf(error);
      logger.warn('Transient failure: the message goes back to the queue', {
        ...read.ids,
        code: failure.code,
        reason: failure.message,
      });
      countBy(MetricName.Retries, { code: failure.code });
      const waitsForState =
        failure.code === ActionErrorCode.ORDER_IN_WRONG_STATE || failure.code === ActionErrorCode.RETURN_IN_WRONG_STATE;
      const retryAfterSeconds = failure.retryAfterSeconds ?? (waitsForState ? options.stateWaitSeconds : undefined);
      return {
        kind: 'retry',
        reason: failure.message,
        afterSeconds: retryDelaySeconds(retryAfterSeconds, message.receiveCount),
      };
    }
  };

  return async (messages: QueueMessage[]): Promise<Map<string, Disposition>> => {
    const followUps = createFollowUps(options.followUps, messages.length);
    const records = messages.map((message) => {
      const read = readMessage(message.body);
      return {
        message,
        read,
        orderKey: orderKeyOf(read.ids, message.id),
        time: Date.parse(read.ids.event_time ?? '') || 0,
        followUp: followUps.forRecord(),
      };
    });
    const plan = planBatch(
      records.map(({ message, orderKey, time }) => ({ id: message.id, orderKey, time })),
      options.concurrency,
    );
    const dispositions = await Promise.all(
      records.map((record) =>
        observeRecord({ message_id: record.message.id, ...record.read.ids }, () =>
          plan.run(
            record.message.id,
            () => handleOrHandBack(record),
            () => ({
              kind: 'retry',
              reason: 'an earlier action on the same order in this batch was handed back to SQS',
              afterSeconds: retryDelaySeconds(undefined, record.message.receiveCount),
            }),
          ),
        ).finally(record.followUp.settled),
      ),
    );
    await followUps.sent();
    return new Map(messages.map((message, index) => [message.id, dispositions[index] as Disposition]));
  };
};

/** A message of the batch, read once, with its order and its part in the batch's follow-ups. */
interface BatchRecord {
  message: QueueMessage;
  read: ReadMessage;
  orderKey: string;
  followUp: RecordFollowUps;
}

/** The failure an error stands for; an error that is not the connector's own (a bug, an AWS outage) is logged whole first. */
const failureOf = (error: unknown): ActionFailure => {
  if (!(error instanceof ConnectorError))
    logger.error('Unexpected error while handling an action', { error: errorForLog(error) });
  return ActionFailure.from(error);
};

/** 5 s, 10 s, 20 s ... up to 15 min, with full jitter (many actions fail together in an outage). */
const ACTION_BACKOFF: Backoff = { base: 5, cap: 15 * 60, jitter: true };

/** How long SQS keeps an action hidden before the next attempt: the server's `Retry-After`, else the backoff. */
export const retryDelaySeconds = (retryAfterSeconds: number | undefined, receiveCount: number): number =>
  handBackSeconds(ACTION_BACKOFF, receiveCount, retryAfterSeconds);
