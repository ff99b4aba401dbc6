import type { Intent } from '../../ledger/index.js';
import { ActionFailure } from '../../outcome.js';
import { appliedEarlier, recallIntent, rememberBefore, rememberWaiting } from './reconcile.js';
import { describeRefusal, isRefusal } from './refusal.js';

/** How a call that answers 200 went: applied, or refused item by item in its body (invariant 12). */
export type CallAnswer = 'applied' | 'refused';

/** How the marketplace refused a call: `400 ORDER_INVALID_STATE`, or per-item errors; `code` is its error code. */
export interface Refusal {
  description: string;
  code?: string;
}

/** One call that changes an order or a return, and what the subject's state (OR11 order, RT11 return) says about it. */
export interface Step<S> {
  operation: string;
  /** The subject already shows the change (a redelivery, or someone made it by hand): the action is done. */
  done(subject: S): boolean;
  /** Throws the failure the subject's state explains (unknown line, wrong state, worth waiting for or not). */
  check(subject: S): void;
  send(): Promise<CallAnswer | void>;
  /** The answer's field that lists per-item errors, for a call that answers 200 when it refuses (invariant 12). */
  itemErrors?: string;
  /** The failure of a call refused although the state allows it: the values' fault, said with the refusal. */
  refused(refusal: Refusal, subject: S): ActionFailure;
}

/**
 * For a course with a call the marketplace applies again when sent again (OR28, OR30, ST01; invariant 3): the ids
 * that call adds, as the channel shows them now, are remembered with the action's intent before it, and a redelivery
 * that finds a new one is done before any step (reconcile.ts).
 */
export interface Reconciliation<S> {
  intent: Intent;
  operation: string;
  /** The ids the call adds, as the channel shows them now (the lines' refund ids in the subject, the order's shipments). */
  idsNow(subject: S): string[] | Promise<string[]>;
}

/**
 * Every change of an order or a return takes this one course, step after step:
 *
 *   [reconcile] ─ [check the subject, when it was read first] ─ call ─ refused? read it: done, or why not
 *
 * The first attempt goes straight to the call: reads cost the shop's rate budget (MMP allows asynchronous OR11 use
 * about once a minute), so the subject is read to classify a refusal, not to predict one. A refusal (a 4xx, or
 * per-item errors in a 200) is classified from the state read afterwards, never from the marketplace's message:
 * already done is success, a state that forbids it is a wrong-state failure, else the values' fault. Outages are
 * passed on as they are (transient failures, handed back to SQS). A step found done ends the course.
 *
 * A course that reconciles needs the ids before its call, so the subject is read first (unless the caller knows it)
 * — except after a delivery that read it, found it not ready (a wait: a transient failure of `check`) and sent
 * nothing: the ids it remembered then are still the ones before the call, and the call goes out unread.
 */
export const carryOut = async <S>(
  read: (operation: string) => Promise<S>,
  steps: Array<Step<S>>,
  options: { known?: S; reconcile?: Reconciliation<S> } = {},
): Promise<void> => {
  const { reconcile } = options;
  let known = options.known;
  let idsBefore: string[] = [];
  // Waits are remembered where a redelivery can use them: a course that reads the subject itself.
  const waits = options.known === undefined ? reconcile : undefined;
  if (reconcile) {
    const remembered = await recallIntent(reconcile.intent, reconcile.operation);
    if (remembered?.waiting && known === undefined) idsBefore = remembered.known_ids;
    else {
      known ??= await read(reconcile.operation);
      idsBefore = await reconcile.idsNow(known);
      if (remembered && appliedEarlier(remembered, idsBefore)) return;
    }
  }
  for (const step of steps) {
    const waitsHere = waits?.operation === step.operation ? waits : undefined;
    if (known !== undefined) {
      if (step.done(known)) return;
      await checkOrWait(step, known, waitsHere);
    }
    if (reconcile?.operation === step.operation) await rememberBefore(reconcile.intent, step.operation, idsBefore);
    let refusal: Refusal;
    try {
      if ((await step.send()) !== 'refused') continue;
      refusal = { description: step.itemErrors ?? 'refused item by item' };
    } catch (error) {
      if (!isRefusal(error)) throw error;
      refusal = { description: describeRefusal(error), code: error.details.code };
    }
    const after = await read(step.operation);
    if (step.done(after)) return;
    await checkOrWait(step, after, waitsHere);
    throw step.refused(refusal, after);
  }
};

/** `step.check`; a wait it calls for is remembered with the ids the subject shows, for the redelivery to call unread. */
const checkOrWait = async <S>(step: Step<S>, subject: S, waits: Reconciliation<S> | undefined) => {
  try {
    step.check(subject);
  } catch (error) {
    if (waits && error instanceof ActionFailure && error.transient)
      await rememberWaiting(waits.intent, step.operation, await waits.idsNow(subject));
    throw error;
  }
};
