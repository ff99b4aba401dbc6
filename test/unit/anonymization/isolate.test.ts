import { describe, expect, it } from 'vitest';
import { sendIsolating, type CallResult } from '../../../lib/anonymization/isolate.js';

type Detail = 'every' | 'first' | 'none' | 'raw';

/** Connect, all or nothing: refuses every call holding a bad item, naming them as `detail` says. */
const fakeConnect = (bad: Set<number>, detail: Detail = 'every', rawFields: string[] = []) => {
  const calls: number[][] = [];
  const send = async (items: number[]): Promise<CallResult> => {
    calls.push(items);
    const refused = items.flatMap((item, index) => (bad.has(item) ? [`orders[${index}].channel_order_id`] : []));
    if (refused.length === 0) return { kind: 'applied' };
    const fields = { every: refused, first: refused.slice(0, 1), none: [], raw: rawFields }[detail];
    return { kind: 'rejected', code: 'DATA_NOT_FOUND', fields };
  };
  return { calls, send };
};

const hundred = Array.from({ length: 100 }, (_, index) => index);
const never = () => undefined;

const summary = (verdicts: Map<number, { kind: string }>) => {
  const byKind: Record<string, number[]> = {};
  for (const [item, verdict] of [...verdicts].sort(([a], [b]) => a - b)) (byKind[verdict.kind] ??= []).push(item);
  return byKind;
};

describe('sendIsolating', () => {
  it('sends once when Connect takes every item', async () => {
    const connect = fakeConnect(new Set());
    const verdicts = await sendIsolating(hundred, { send: connect.send, expired: never });
    expect(connect.calls).toHaveLength(1);
    expect(summary(verdicts)).toEqual({ applied: hundred });
  });

  it('rejects the items Connect names and resends the rest at once', async () => {
    const connect = fakeConnect(new Set([7, 42]));
    const verdicts = await sendIsolating(hundred, { send: connect.send, expired: never });
    expect(connect.calls.map((call) => call.length)).toEqual([100, 98]);
    expect(verdicts.get(42)).toEqual({
      kind: 'rejected',
      code: 'DATA_NOT_FOUND',
      field: 'orders[42].channel_order_id',
    });
    expect(summary(verdicts).rejected).toEqual([7, 42]);
    expect(summary(verdicts).applied).toHaveLength(98);
  });

  it('keeps resending when Connect names only the first refused item', async () => {
    const connect = fakeConnect(new Set([3, 50, 99]), 'first');
    const verdicts = await sendIsolating(hundred, { send: connect.send, expired: never });
    expect(connect.calls.map((call) => call.length)).toEqual([100, 99, 98, 97]);
    expect(summary(verdicts).rejected).toEqual([3, 50, 99]);
  });

  it.each(hundred.filter((item) => item % 7 === 0 || item === 99))(
    'bisects to refused item %i within 2·ceil(log2 100) extra calls when Connect names none',
    async (badItem) => {
      const connect = fakeConnect(new Set([badItem]), 'none');
      const verdicts = await sendIsolating(hundred, { send: connect.send, expired: never });
      expect(verdicts.get(badItem)).toEqual({ kind: 'rejected', code: 'DATA_NOT_FOUND' });
      expect(summary(verdicts).applied).toHaveLength(99);
      expect(connect.calls.length - 1).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(100)));
    },
  );

  it('bisects to several refused items, sending each good item in one applied call only', async () => {
    const connect = fakeConnect(new Set([0, 1, 64]), 'none');
    const verdicts = await sendIsolating(hundred, { send: connect.send, expired: never });
    expect(summary(verdicts).rejected).toEqual([0, 1, 64]);
    expect(summary(verdicts).applied).toHaveLength(97);
  });

  it.each([
    [['input.orders[5].anonymize_after'], 5],
    [['$.orders[5]'], 5],
    [['orders.5.channel_id'], 5],
  ])('reads the refused item from the field %j', async (fields, index) => {
    const connect = fakeConnect(new Set([5]), 'raw', fields);
    const verdicts = await sendIsolating(hundred, { send: connect.send, expired: never });
    expect(connect.calls).toHaveLength(2);
    expect(verdicts.get(index)).toMatchObject({ kind: 'rejected', field: fields[0] });
  });

  it('bisects when the fields point at no item (out of range, or not into orders)', async () => {
    const connect = fakeConnect(new Set([5]), 'raw', [
      'orders[100].channel_id',
      'input.account.id',
      'orders',
      'reorders[5]',
    ]);
    const verdicts = await sendIsolating(hundred, { send: connect.send, expired: never });
    expect(connect.calls.length).toBeGreaterThan(2);
    expect(summary(verdicts).rejected).toEqual([5]);
  });

  it('leaves items unsent, with the reason, when a call cannot be made', async () => {
    const send = async (): Promise<CallResult> => ({
      kind: 'not-sent',
      reason: 'Connect answered 503',
      retryAfterSeconds: 30,
    });
    const verdicts = await sendIsolating([1, 2], { send, expired: never });
    expect([...verdicts.values()]).toEqual([
      { kind: 'not-sent', reason: 'Connect answered 503', retryAfterSeconds: 30 },
      { kind: 'not-sent', reason: 'Connect answered 503', retryAfterSeconds: 30 },
    ]);
  });

  it('does not take a half that was not sent for one that went through', async () => {
    let call = 0;
    const send = async (items: number[]): Promise<CallResult> => {
      call += 1;
      if (call === 1) return { kind: 'rejected', code: 'INVALID_INPUT', fields: [] };
      if (call === 2) return { kind: 'not-sent', reason: 'timeout' };
      return items.includes(3) ? { kind: 'rejected', code: 'INVALID_INPUT', fields: [] } : { kind: 'applied' };
    };
    const verdicts = await sendIsolating([0, 1, 2, 3], { send, expired: never });
    expect(summary(verdicts)).toEqual({ 'not-sent': [0, 1], applied: [2], rejected: [3] });
  });

  it('checks every item again before each call and never sends an expired one', async () => {
    const connect = fakeConnect(new Set([9]));
    let calls = 0;
    const expired = (item: number) => (calls > 0 && item === 20 ? 'anonymize_after is in the past' : undefined);
    const send = (items: number[]) => {
      calls += 1;
      return connect.send(items);
    };
    const verdicts = await sendIsolating(hundred, { send, expired });
    expect(verdicts.get(20)).toEqual({ kind: 'expired', reason: 'anonymize_after is in the past' });
    expect(connect.calls[1]).not.toContain(20);
    expect(summary(verdicts).applied).toHaveLength(98);
  });
});
