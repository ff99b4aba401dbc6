import { describe, expect, it } from 'vitest';
import {
  createAnonymizationProcessor,
  anonymizationHandBackSeconds,
  type DateRules,
} from '../../../lib/anonymization/index.js';
import type { QueueMessage } from '../../../lib/queue/index.js';
import type { AnonymizeAfterClient, AnonymizeAfterOrder, AnonymizeAfterResult } from '../../../lib/connect/index.js';
import { HttpError, withDeadline } from '../../../lib/http/index.js';

const DAY = 86_400_000;
const start = Date.parse('2026-07-07T10:00:00Z');
const rules: DateRules = { minRetentionMs: 30 * DAY, safetyMarginMs: 15 * 60_000 };

const record = (
  id: string,
  orderId: string,
  anonymizeAfter: string,
  sentTimestamp = start,
  receiveCount = 1,
): QueueMessage => ({
  id,
  body: JSON.stringify({ channel_id: '0024', channel_order_id: orderId, anonymize_after: anonymizeAfter }),
  sentTimestamp,
  receiveCount,
});

/** A Connect client answering from a script, one answer per call, recording what it was sent. */
const scriptedConnect = (...answers: Array<AnonymizeAfterResult | HttpError>) => {
  const calls: AnonymizeAfterOrder[][] = [];
  const client: AnonymizeAfterClient = {
    async updateAnonymizeAfter(orders) {
      calls.push(orders);
      const answer = answers.shift() ?? { kind: 'applied' };
      if (answer instanceof HttpError) throw answer;
      return answer;
    },
  };
  return { calls, client };
};

describe('createAnonymizationProcessor', () => {
  it('acknowledges superseded updates and sends each order once', async () => {
    const connect = scriptedConnect();
    const process = createAnonymizationProcessor({ connect: connect.client, rules, now: () => start });
    const dispositions = await process([
      record('a1', 'O-1', '2030-01-01T00:00:00Z', start - 2),
      record('a2', 'O-1', '2029-01-01T00:00:00Z', start - 1),
      record('b', 'O-2', '2030-01-01T00:00:00Z'),
    ]);
    expect(connect.calls).toEqual([
      [
        { channel_id: '0024', channel_order_id: 'O-1', anonymize_after: '2029-01-01T00:00:00Z' },
        { channel_id: '0024', channel_order_id: 'O-2', anonymize_after: '2030-01-01T00:00:00Z' },
      ],
    ]);
    expect(Object.fromEntries(dispositions)).toEqual({
      a1: { kind: 'done' },
      a2: { kind: 'done' },
      b: { kind: 'done' },
    });
  });

  it("hands a refused order back with a backoff, and an outage with Connect's Retry-After", async () => {
    const outage = new HttpError('Connect updateAnonymizeAfterDate answered 429', {
      status: 429,
      retryAfterSeconds: 120,
      mayHaveApplied: false,
    });
    const connect = scriptedConnect(
      { kind: 'rejected', code: 'DATA_NOT_FOUND', fields: ['orders[0].channel_order_id'] },
      outage,
    );
    const process = createAnonymizationProcessor({ connect: connect.client, rules, now: () => start });
    const dispositions = await process([
      record('unknown', 'O-9', '2030-01-01T00:00:00Z', start, 3),
      record('known', 'O-1', '2030-01-01T00:00:00Z'),
    ]);
    expect(Object.fromEntries(dispositions)).toEqual({
      unknown: {
        kind: 'retry',
        reason: 'Connect refused it: DATA_NOT_FOUND at orders[0].channel_order_id',
        afterSeconds: 120,
      },
      known: { kind: 'retry', reason: 'Connect updateAnonymizeAfterDate answered 429', afterSeconds: 120 },
    });
  });

  it('dead-letters an update whose date came within the safety margin while earlier calls ran', async () => {
    let now = start;
    const connect = scriptedConnect();
    const slowClient: AnonymizeAfterClient = {
      async updateAnonymizeAfter(orders) {
        now += 20 * 60_000;
        return connect.client.updateAnonymizeAfter(orders);
      },
    };
    const process = createAnonymizationProcessor({ connect: slowClient, rules, now: () => now });
    const soon = new Date(start + 30 * 60_000).toISOString();
    const records = Array.from({ length: 100 }, (_, index) =>
      record(`r${index}`, `O-${index}`, '2030-01-01T00:00:00Z'),
    );
    const dispositions = await process([...records, record('late', 'O-late', soon, start - 31 * DAY)]);
    expect(connect.calls.map((call) => call.length)).toEqual([100]);
    expect(dispositions.get('late')).toEqual({
      kind: 'dead-letter',
      reason: 'anonymize_after is less than 15 minutes ahead (safety margin)',
    });
  });

  it('calls nothing when the invocation is about to end', async () => {
    const connect = scriptedConnect();
    const process = createAnonymizationProcessor({ connect: connect.client, rules, now: () => start });
    const dispositions = await withDeadline(Date.now() + 4_000, () =>
      process([record('r', 'O-1', '2030-01-01T00:00:00Z', start, 2)]),
    );
    expect(connect.calls).toEqual([]);
    expect(dispositions.get('r')).toEqual({
      kind: 'retry',
      reason: 'too little time left in this invocation',
      afterSeconds: 60,
    });
  });
});

describe('anonymizationHandBackSeconds', () => {
  it('follows Retry-After, else doubles from 30 s with each delivery, up to 15 min', () => {
    expect([1, 2, 3, 5, 6, 50].map((receiveCount) => anonymizationHandBackSeconds(undefined, receiveCount))).toEqual([
      30, 60, 120, 480, 900, 900,
    ]);
    expect(anonymizationHandBackSeconds(0.2, 1)).toBe(1);
    expect(anonymizationHandBackSeconds(7200, 1)).toBe(900);
  });
});
