import { describe, expect, it } from 'vitest';
import { HandedBackForOrder, planBatch, retryDelaySeconds } from '../../lib/actions/index.js';

const event = (order: string, time: string) => JSON.stringify({ id: `E-${order}-${time}`, type: 'CREATE_SHIPMENT', time, data: { action_id: `A-${order}-${time}`, channel_store_id: 'S', channel_order_id: order } });

describe('planBatch', () => {
  it('runs one order in event time order and other orders alongside, within the concurrency limit', async () => {
    const records = [
      { id: 'a-late', body: event('A', '2026-01-01T10:00:00Z') },
      { id: 'b', body: event('B', '2026-01-01T09:30:00Z') },
      { id: 'a-early', body: event('A', '2026-01-01T09:00:00Z') },
      { id: 'c', body: event('C', '2026-01-01T09:45:00Z') },
    ];
    const plan = planBatch(records, 2);
    const started: string[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      records.map((record) =>
        plan.run(record.id, async () => {
          started.push(record.id);
          most = Math.max(most, (running += 1));
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
        }),
      ),
    );
    expect(started.indexOf('a-early')).toBeLessThan(started.indexOf('a-late'));
    expect(most).toBe(2);
  });

  it('hands back the later actions of an order whose earlier action did not complete', async () => {
    const records = [
      { id: 'first', body: event('A', '2026-01-01T09:00:00Z') },
      { id: 'second', body: event('A', '2026-01-01T10:00:00Z') },
      { id: 'other', body: event('B', '2026-01-01T10:00:00Z') },
    ];
    const plan = planBatch(records, 5);
    const results = await Promise.allSettled(
      records.map((record) => plan.run(record.id, async () => {
        if (record.id === 'first') throw new Error('marketplace down');
        return record.id;
      })),
    );
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(HandedBackForOrder) });
    expect(results[2]).toEqual({ status: 'fulfilled', value: 'other' });
  });

  it('runs unreadable records alone', async () => {
    const plan = planBatch([{ id: 'x', body: 'not json' }, { id: 'y', body: 'not json either' }], 5);
    await expect(Promise.all([plan.run('x', async () => 1), plan.run('y', async () => 2)])).resolves.toEqual([1, 2]);
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
