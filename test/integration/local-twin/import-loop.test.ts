import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CHANNEL, startLocalStack, type LocalStack } from '../../../local/cli/stack.js';
import { shipmentEvent } from '../../fixtures/events.js';

let dir: string;
let stack: LocalStack;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'import-loop-'));
  // Runs of orderSync every second, each polling the store again at once.
  stack = await startLocalStack({
    packageDir: dir,
    scheduleIntervalSeconds: 1,
    environment: { ORDER_SYNC_MIN_INTERVAL_SECONDS: '0', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
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
    stack.mmp.addOrder({
      order_id: 'LOOP-1',
      order_state: 'SHIPPING',
      order_lines: [{ order_line_id: 'LOOP-1-1', offer_sku: 'SKU-1', quantity: 1 }],
    });

    const imported = await heldWhen('LOOP-1', (body) => body.status === 'AWAITING_SHIPMENT');
    expect(imported).toMatchObject({ channel_id: LOCAL_CHANNEL.channelId, channel_store_id: LOCAL_CHANNEL.storeId });

    const event = shipmentEvent('LOOP-1', {
      channel_id: LOCAL_CHANNEL.channelId,
      channel_store_id: LOCAL_CHANNEL.storeId,
      carrier: 'DHL Express',
      tracking_number: 'JJD0009',
    });
    await stack.connect.publish(event);

    const shipped = await heldWhen('LOOP-1', (body) => body.status === 'SHIPPED');
    expect(shipped.body.channel_updated_at).toBe(stack.mmp.order('LOOP-1')?.last_updated_date);
  });

  it('carries an invoice put on the marketplace over to Connect with its order (the deployable sets DOCUMENTS_BUCKET)', async () => {
    stack.mmp.addOrder({
      order_id: 'LOOP-2',
      order_state: 'SHIPPED',
      order_lines: [{ order_line_id: 'LOOP-2-1', offer_sku: 'SKU-1', quantity: 1 }],
    });
    const invoice = stack.mmp.addDocument('LOOP-2', {
      file_name: 'invoice.pdf',
      type: 'CUSTOMER_INVOICE',
      body: new TextEncoder().encode('%PDF-1.4 local loop'),
    });

    await heldWhen('LOOP-2', (body) => body.status === 'SHIPPED');
    for (
      const giveUpAt = Date.now() + 30_000;
      stack.connect.channelDocuments('LOOP-2').length === 0 && Date.now() < giveUpAt;
    )
      await sleep(200);
    expect(stack.connect.channelDocuments('LOOP-2')).toMatchObject([
      { metadata: { type: 'CUSTOMER_INVOICE', channel_document_id: expect.stringContaining(String(invoice.id)) } },
    ]);
  });
});

describe('npm run import-orders -- --local', () => {
  it("imports a past period into the local stack's Connect, found at the local ports", async () => {
    const longAgo = new Date(Date.now() - 45 * 86_400_000).toISOString();
    // Older than orderSync's first look-back (30 days): only the backfill brings it.
    stack.mmp.addOrder({
      order_id: 'PAST-1',
      order_state: 'CLOSED',
      created_date: longAgo,
      last_updated_date: longAgo,
      order_lines: [{ order_line_id: 'PAST-1-1', offer_sku: 'SKU-1', quantity: 1 }],
    });
    const port = (url: string | undefined) => new URL(url ?? '').port;

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'bin/import-orders.ts',
        '--local',
        '--since',
        new Date(Date.now() - 60 * 86_400_000).toISOString(),
        '--poll-seconds',
        '2',
      ],
      {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        env: {
          ...process.env,
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          LOCAL_CONNECT_PORT: port(stack.connect.url),
          LOCAL_MMP_PORT: port(stack.mmp.url),
          LOCAL_DYNAMODB_PORT: port(stack.aws.env.AWS_ENDPOINT_URL_DYNAMODB),
        },
      },
    );

    expect(stdout).toContain('0 parked.');
    expect((await heldWhen('PAST-1', (body) => body.status === 'CLOSED')).channel_store_id).toBe(LOCAL_CHANNEL.storeId);
  });
});
