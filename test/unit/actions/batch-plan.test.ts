import { describe, expect, it } from 'vitest';
import { planBatch, retryDelaySeconds } from '../../../lib/actions/index.js';
import type { Disposition } from '../../../lib/queue/index.js';

const record = (id: string, order: string, time: string) => ({ id, orderKey: `S#${order}`, time: Date.parse(time) });
const done: Disposition = { kind: 'done' };
const handedBack = (): Disposition => ({ kind: 'retry', reason: 'handed back with its order', afterSeconds: 5 });

describe('planBatch', () => {
  it('runs one order in event time order and other orders alongside, within the concurrency limit', async () => {
    const records = [
      record('a-late', 'A', '2026-01-01T10:00:00Z'),
      record('b', 'B', '2026-01-01T09:30:00Z'),
      record('a-early', 'A', '2026-01-01T09:00:00Z'),
      record('c', 'C', '2026-01-01T09:45:00Z'),
    ];
    const plan = planBatch(records, 2);
    const started: string[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      records.map((record) =>
        plan.run(
          record.id,
          async () => {
            started.push(record.id);
            most = Math.max(most, (running += 1));
            await new Promise((resolve) => setImmediate(resolve));
            running -= 1;
            return done;
          },
          handedBack,
        ),
      ),
    );
    expect(started.indexOf('a-early')).toBeLessThan(started.indexOf('a-late'));
    expect(most).toBe(2);
  });

  it('hands back the later actions of an order whose earlier action did not complete', async () => {
    const records = [
      record('first', 'A', '2026-01-01T09:00:00Z'),
      record('second', 'A', '2026-01-01T10:00:00Z'),
      record('other', 'B', '2026-01-01T10:00:00Z'),
    ];
    const plan = planBatch(records, 5);
    const ran: string[] = [];
    const results = await Promise.all(
      records.map((entry) =>
        plan.run(
          entry.id,
          async () => {
            ran.push(entry.id);
            return entry.id === 'first' ? { kind: 'retry', reason: 'marketplace down', afterSeconds: 5 } : done;
          },
          handedBack,
        ),
      ),
    );
    expect(results).toEqual([{ kind: 'retry', reason: 'marketplace down', afterSeconds: 5 }, handedBack(), done]);
    expect(ran).not.toContain('second');
  });

  it('hands back the later actions of an order whose earlier action threw', async () => {
    const plan = planBatch(
      [record('first', 'A', '2026-01-01T09:00:00Z'), record('second', 'A', '2026-01-01T10:00:00Z')],
      5,
    );
    const results = await Promise.allSettled([
      plan.run('first', () => Promise.reject(new Error('bug')), handedBack),
      plan.run('second', async () => done, handedBack),
    ]);
    expect(results).toEqual([
      { status: 'rejected', reason: new Error('bug') },
      { status: 'fulfilled', value: handedBack() },
    ]);
  });
});

describe('retryDelaySeconds', () => {
  it("follows the server's Retry-After, capped at 15 minutes", () => {
    expect(retryDelaySeconds(7, 1)).toBe(7);
    expect(retryDelaySeconds(0, 1)).toBe(1);
    expect(retryDelaySeconds(3600, 1)).toBe(900);
  });

  it('otherwise backs off exponentially on the receive count, with jitter', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(retryDelaySeconds(undefined, 1)).toBeLessThanOrEqual(5);
      expect(retryDelaySeconds(undefined, 4)).toBeLessThanOrEqual(40);
      expect(retryDelaySeconds(undefined, 30)).toBeLessThanOrEqual(900);
      expect(retryDelaySeconds(undefined, 30)).toBeGreaterThanOrEqual(1);
    }
  });
});
