import { describe, expect, it } from 'vitest';
import { planCalls, type PendingUpdate } from '../../../lib/anonymization/plan.js';

const pending = (
  recordId: string,
  orderId: string,
  sentAt: number,
  anonymizeAfter = Date.parse('2030-01-01T00:00:00Z'),
  channelId = '0024',
): PendingUpdate => ({
  recordId,
  sentAt,
  order: { channel_id: channelId, channel_order_id: orderId, anonymize_after: new Date(anonymizeAfter).toISOString() },
  anonymizeAfter,
});

const ids = (updates: PendingUpdate[]) => updates.map((update) => update.recordId);

describe('planCalls', () => {
  it('makes ceil(n / 100) calls of distinct orders', () => {
    const updates = Array.from({ length: 250 }, (_, index) => pending(`r${index}`, `O-${index}`, 1));
    const { calls, superseded } = planCalls(updates);
    expect(calls.map((call) => call.length)).toEqual([100, 100, 50]);
    expect(calls.flat()).toEqual(updates);
    expect(superseded).toEqual([]);
  });

  it('keeps the most recently sent update of each order, whatever its date', () => {
    const { calls, superseded } = planCalls([
      pending('old', 'O-1', 100, Date.parse('2031-01-01T00:00:00Z')),
      pending('other', 'O-2', 150),
      pending('new', 'O-1', 300, Date.parse('2030-01-01T00:00:00Z')),
      pending('middle', 'O-1', 200),
    ]);
    expect(calls.map(ids)).toEqual([['new', 'other']]);
    expect(ids(superseded).sort()).toEqual(['middle', 'old']);
  });

  it('on a tie of SentTimestamp, keeps the later date', () => {
    const { calls } = planCalls([
      pending('later', 'O-1', 100, Date.parse('2031-01-01T00:00:00Z')),
      pending('earlier', 'O-1', 100, Date.parse('2030-01-01T00:00:00Z')),
    ]);
    expect(calls.map(ids)).toEqual([['later']]);
  });

  it('tells orders apart by channel', () => {
    const { calls } = planCalls([pending('a', 'O-1', 1, undefined, '0024'), pending('b', 'O-1', 2, undefined, '0025')]);
    expect(calls.map(ids)).toEqual([['a', 'b']]);
  });
});
