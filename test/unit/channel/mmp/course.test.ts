import { describe, expect, it } from 'vitest';
import { carryOut, type CallAnswer, type Step } from '../../../../lib/channel/mmp/course.js';
import { HttpError } from '../../../../lib/http/index.js';
import { ActionErrorCode, ActionFailure } from '../../../../lib/outcome.js';
import { failureOf, memoryIntent } from '../../../support/mmp-fakes.js';

/** A subject that is just a state, a call log, and a step that moves it from OPEN to DONE. */
const subject = (state: string, answer: 'apply' | 'refuse-400' | 'refuse-items' | 'outage' = 'apply') => {
  const calls: string[] = [];
  let current = state;
  const read = async (operation: string) => (calls.push(`read after ${operation}`), current);
  const step: Step<string> = {
    operation: 'XX01',
    done: (found) => found === 'DONE',
    check: (found) => {
      if (found !== 'OPEN') throw new ActionFailure(ActionErrorCode.ORDER_IN_WRONG_STATE, `is ${found}`);
    },
    async send(): Promise<CallAnswer> {
      calls.push('XX01');
      if (answer === 'outage')
        throw new ActionFailure(ActionErrorCode.UNAVAILABLE, 'MMP XX01 answered 503', { transient: true });
      if (answer === 'refuse-400')
        throw new HttpError('MMP XX01 answered 400', { status: 400, code: 'BAD', mayHaveApplied: false });
      if (answer === 'refuse-items') return 'refused';
      current = 'DONE';
      return 'applied';
    },
    itemErrors: 'xx_errors',
    refused: (refusal) =>
      new ActionFailure(ActionErrorCode.INVALID_INPUT, `refused (${refusal.description}, code ${refusal.code ?? '-'})`),
  };
  return { read, step, calls, set: (state: string) => (current = state) };
};

describe('carryOut', () => {
  it('goes straight to the call: nothing is read when it is applied', async () => {
    const one = subject('OPEN');
    await carryOut(one.read, [one.step]);
    expect(one.calls).toEqual(['XX01']);
  });

  it('reads the subject after a refusal: done is success, a state that forbids it is its failure, else the values', async () => {
    const done = subject('DONE', 'refuse-400');
    await carryOut(done.read, [done.step]);
    expect(done.calls).toEqual(['XX01', 'read after XX01']);

    const closed = subject('CLOSED', 'refuse-400');
    expect(await failureOf(carryOut(closed.read, [closed.step]))).toMatchObject({ code: 'ORDER_IN_WRONG_STATE' });
    const open = subject('OPEN', 'refuse-400');
    expect(await failureOf(carryOut(open.read, [open.step]))).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'refused (400 BAD, code BAD)',
    });
    const items = subject('OPEN', 'refuse-items');
    expect(await failureOf(carryOut(items.read, [items.step]))).toMatchObject({
      message: 'refused (xx_errors, code -)',
    });
  });

  it('passes an outage on as it is, without reading', async () => {
    const one = subject('OPEN', 'outage');
    expect(await failureOf(carryOut(one.read, [one.step]))).toMatchObject({ code: 'UNAVAILABLE', transient: true });
    expect(one.calls).toEqual(['XX01']);
  });

  it('with the subject known, confirms without calling when it is done, and fails before calling when it cannot be', async () => {
    const done = subject('DONE');
    await carryOut(done.read, [done.step], { known: 'DONE' });
    const closed = subject('CLOSED');
    expect(await failureOf(carryOut(closed.read, [closed.step], { known: 'CLOSED' }))).toMatchObject({
      code: 'ORDER_IN_WRONG_STATE',
    });
    expect([...done.calls, ...closed.calls]).toEqual([]);
  });

  it('reconciles first: reads the ids before the call and remembers them, and a redelivery that finds a new id is done without calling', async () => {
    const intent = memoryIntent();
    const first = subject('OPEN', 'outage');
    await expect(
      carryOut(first.read, [first.step], { reconcile: { intent, operation: 'XX01', idsNow: () => ['a'] } }),
    ).rejects.toThrow('503');
    expect(first.calls).toEqual(['read after XX01', 'XX01']);
    expect(intent.value).toEqual({ operation: 'XX01', known_ids: ['a'] });

    const redelivery = subject('OPEN');
    await carryOut(redelivery.read, [redelivery.step], {
      reconcile: { intent, operation: 'XX01', idsNow: () => ['a', 'b'] },
    });
    expect(redelivery.calls).toEqual(['read after XX01']);
  });

  it('remembers the ids of a subject it has to wait for, and the redelivery calls with them without reading', async () => {
    const intent = memoryIntent();
    const early = subject('NOT_YET');
    early.step.check = (found) => {
      if (found !== 'OPEN')
        throw new ActionFailure(ActionErrorCode.ORDER_IN_WRONG_STATE, 'not yet', { transient: true });
    };
    expect(
      await failureOf(
        carryOut(early.read, [early.step], { reconcile: { intent, operation: 'XX01', idsNow: () => ['a'] } }),
      ),
    ).toMatchObject({ transient: true });
    expect(early.calls).toEqual(['read after XX01']);
    expect(intent.value).toEqual({ operation: 'XX01', known_ids: ['a'], waiting: true });

    early.set('OPEN');
    await carryOut(early.read, [early.step], { reconcile: { intent, operation: 'XX01', idsNow: () => ['a', 'b'] } });
    expect(early.calls).toEqual(['read after XX01', 'XX01']);
    expect(intent.value).toEqual({ operation: 'XX01', known_ids: ['a'] });
  });

  it('after a wait, a call refused for a subject still not ready reads it and waits again with the ids it shows', async () => {
    const intent = memoryIntent({ operation: 'XX01', known_ids: ['a'], waiting: true });
    const still = subject('NOT_YET', 'refuse-400');
    still.step.check = (found) => {
      if (found !== 'OPEN')
        throw new ActionFailure(ActionErrorCode.ORDER_IN_WRONG_STATE, 'not yet', { transient: true });
    };
    expect(
      await failureOf(
        carryOut(still.read, [still.step], { reconcile: { intent, operation: 'XX01', idsNow: () => ['a', 'c'] } }),
      ),
    ).toMatchObject({ transient: true });
    expect(still.calls).toEqual(['XX01', 'read after XX01']);
    expect(intent.value).toEqual({ operation: 'XX01', known_ids: ['a', 'c'], waiting: true });
  });

  it('with the subject known, remembers no wait: its redelivery reads again', async () => {
    const intent = memoryIntent();
    const early = subject('NOT_YET');
    early.step.check = () => {
      throw new ActionFailure(ActionErrorCode.ORDER_IN_WRONG_STATE, 'not yet', { transient: true });
    };
    await failureOf(
      carryOut(early.read, [early.step], {
        known: 'NOT_YET',
        reconcile: { intent, operation: 'XX01', idsNow: () => [] },
      }),
    );
    expect(intent.value).toBeUndefined();
  });
});
