import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { orderKeyOf, readMessage } from '../actions/index.js';
import type { ActionHistories, ActionHistory, RecordedStatus } from '../ledger/index.js';

export type ReplayResult =
  /** On the events queue again. `cleared` is what a forced replay removed; `recorded` an outcome reported as it is. */
  | { kind: 'sent'; actionId: string; orderKey: string; cleared?: ActionHistory; recorded?: ActionHistory['record'] }
  /** Not sent: the action was reported final (`forcible`: --force would send it), or another invocation is carrying it out now. */
  | { kind: 'refused'; actionId: string; orderKey: string; reason: string; forcible: boolean }
  /** Not sent: it could never be carried out (unreadable, or not an order action). */
  | { kind: 'skipped'; reason: string };

/**
 * Puts an event back on the Connect events queue, for orderActions to carry out, unless that would act on the
 * channel behind Connect's back: an action already reported final is refused, since Connect keeps the status it
 * was given (a later report is refused as ACTION_ALREADY_FINAL). `force` replays it anyway, after deleting what
 * would stop it (its recorded outcome and its mark as reported).
 */
export const createReplay = (options: {
  sqs: SQSClient;
  eventsQueueUrl: string;
  history: ActionHistories;
  now?: () => number;
}) => {
  const now = options.now ?? Date.now;

  return async (body: string, { force = false } = {}): Promise<ReplayResult> => {
    const read = readMessage(body);
    if (read.kind === 'poison')
      return { kind: 'skipped', reason: `unreadable (${read.reason}): it would go straight back to the DLQ` };
    if (read.kind === 'not-an-action') return { kind: 'skipped', reason: 'not an order action: nothing to carry out' };
    const { actionId } = read;
    const orderKey = orderKeyOf(read.ids, actionId);
    const history = await options.history.read(actionId, orderKey);
    const inProgressUntil = history.record?.status === 'INPROGRESS' ? history.record.inProgressUntil : undefined;
    if (inProgressUntil && inProgressUntil.getTime() > now()) {
      return {
        kind: 'refused',
        actionId,
        orderKey,
        reason: `another invocation is carrying it out until ${inProgressUntil.toISOString()}`,
        forcible: false,
      };
    }
    if (history.order?.reported && !force) {
      const outcome = history.record?.outcome ? ` (${describeOutcome(history.record.outcome)})` : '';
      return {
        kind: 'refused',
        actionId,
        orderKey,
        reason: `already reported final to Connect${outcome}: replaying it would act on the channel while Connect keeps that status`,
        forcible: true,
      };
    }
    const clearing = force && (history.order?.reported || history.record !== undefined);
    if (clearing) await options.history.forget(actionId, orderKey);
    await options.sqs.send(new SendMessageCommand({ QueueUrl: options.eventsQueueUrl, MessageBody: body }));
    return {
      kind: 'sent',
      actionId,
      orderKey,
      ...(clearing ? { cleared: history } : history.record && { recorded: history.record }),
    };
  };
};

/** `FAILED UNEXPECTED: The connector gave up ...`, `SUCCESS`. */
export const describeOutcome = (outcome: RecordedStatus): string =>
  outcome.status === 'SUCCESS'
    ? 'SUCCESS'
    : `FAILED ${(outcome.errors ?? []).map((error) => `${error.code}: ${error.message}`).join('; ')}`;
