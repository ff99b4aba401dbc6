import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CHANNEL, startLocalStack, type LocalStack } from '../../local/stack.js';
import { shipmentEvent } from '../fixtures/events.js';

let dir: string;
let stack: LocalStack;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'import-loop-'));
  // Runs of orderSync every second, each polling the store again at once.
  stack = await startLocalStack({ packageDir: dir, scheduleIntervalSeconds: 1, environment: { ORDER_SYNC_MIN_INTERVAL_SECONDS: '0', POWERTOOLS_LOG_LEVEL: 'SILENT' } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Waits until Connect holds the order in a state that `holds` accepts (the functions run in their own processes). */
const heldWhen = async (orderId: string, holds: (body: Record<string, unknown>) => boolean) => {
  for (const giveUpAt = Date.now() + 30_000; Date.now() < giveUpAt; await sleep(200)) {
    const held = stack.connect.heldOrders().find((order) => order.body.channel_order_id === orderId);
    if (held && holds(held.body)) return held;
  }
  throw new Error(`Connect does not hold ${orderId} as expected`);
};

describe('the local stack runs the import from the packaged deployable', () => {
  it("runs orderSync on the template's schedule rule, here every second", () => {
    expect(stack.schedules).toEqual([{ functionKey: 'orderSync', expression: 'rate(5 minutes)', intervalSeconds: 1 }]);
  });

  it('brings a new marketplace order into Connect, and the state an action produced after it', async () => {
    stack.mmp.addOrder({ order_id: 'LOOP-1', order_state: 'SHIPPING', order_lines: [{ order_line_id: 'LOOP-1-1', offer_sku: 'SKU-1', quantity: 1 }] });

    const imported = await heldWhen('LOOP-1', (body) => body.status === 'AWAITING_SHIPMENT');
    expect(imported).toMatchObject({ channel_id: LOCAL_CHANNEL.channelId, channel_store_id: LOCAL_CHANNEL.storeId });

    const event = shipmentEvent('LOOP-1', { channel_id: LOCAL_CHANNEL.channelId, channel_store_id: LOCAL_CHANNEL.storeId, carrier: 'DHL Express', tracking_number: 'JJD0009' });
    await stack.connect.publish(event);

    const shipped = await heldWhen('LOOP-1', (body) => body.status === 'SHIPPED');
    expect(shipped.body.channel_updated_at).toBe(stack.mmp.order('LOOP-1')?.last_updated_date);
  });
});
