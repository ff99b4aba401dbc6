import { setTimeout as sleep } from 'node:timers/promises';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toSqsRecord } from '../../../local/lambda/invoke.js';
import { lambdaContext } from '../../../local/runtime/context.js';
import { scheduledEvent } from '../../../local/lambda/scheduler.js';
import { SAMPLE_CUSTOMER } from '../../../local/simulators/mmp.js';
import { updateStamp } from '../../../local/simulators/mmp-orders.js';
import { captureOutput } from '../../support/output-capture.js';
import { startImportStack, STORE, type ImportStack } from '../../support/import-stack.js';

let stack: ImportStack;
let text = '';
let lines: Array<Record<string, unknown>> = [];

const place = (orderId: string, extra: Record<string, unknown> = {}) =>
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: 'SHIPPED',
    shopId: STORE,
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
    ...extra,
  });

/** orderSync and orderRefresh at DEBUG, loaded afresh, over orders full of the customer's data: imported, parked, refused. */
beforeAll(async () => {
  stack = await startImportStack();
  place('LOG-OK');
  place('LOG-INVALID', { currency_iso_code: 'eu1' });
  place('LOG-REFUSED');
  stack.mmp.addReturn({ order_id: 'LOG-OK' });
  stack.connect.configureOrders({ rejectedOrderIds: ['LOG-REFUSED'] });
  await stack.aws.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.refreshQueue.queueUrl,
      MessageBody: JSON.stringify({ channel_order_id: 'LOG-OK' }),
    }),
  );

  // The run's window ends at its start: begin once the marketplace's stamps (a few ms ahead at most) are past.
  const latest = Date.parse(updateStamp());
  while (Date.now() <= latest) await sleep(1);
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  vi.resetModules();
  const { createOrderSyncHandler } = await import('../../../functions/order-sync.js');
  const { createOrderRefreshHandler } = await import('../../../functions/order-refresh.js');
  const output = captureOutput();
  try {
    await createOrderSyncHandler(stack.env)(scheduledEvent('order-sync'), lambdaContext('orderSync', 60_000));
    const { Messages = [] } = await stack.aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.refreshQueue.queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    await createOrderRefreshHandler(stack.env)(
      { Records: Messages.map((message) => toSqsRecord(message, stack.refreshQueue.queueArn)) },
      lambdaContext('orderRefresh', 60_000),
    );
  } finally {
    output.stop();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  }
  text = output.text();
  lines = output.json();
}, 60_000);
afterAll(async () => stack?.stop());

/** The values of a metric over every EMF blob written. */
const metricValues = (name: string): number[] =>
  lines
    .filter((line) => '_aws' in line && name in line)
    .flatMap((line) => {
      const value = line[name];
      return Array.isArray(value) ? (value as number[]) : [value as number];
    });

describe('the import publishes its metrics (EMF)', () => {
  it('counts the orders imported and parked, the upsert calls of each kind, the returns imported', () => {
    const total = (name: string) => metricValues(name).reduce((sum, value) => sum + value, 0);
    // orderSync: LOG-OK imported, LOG-INVALID parked before sending, LOG-REFUSED parked on Connect's 400; orderRefresh: LOG-OK again.
    expect({
      imported: total('OrdersImported'),
      parked: total('OrdersParked'),
      returns: total('ReturnsImported'),
    }).toEqual({ imported: 2, parked: 2, returns: 1 });
    expect(total('UpsertCalls')).toBeGreaterThanOrEqual(3);
    expect(total('ReturnUpsertCalls')).toBe(1);
  });
});

describe('the import logs ids and short reasons, never the personal data of the bodies it moves', () => {
  it('logs the orders by id, the parked ones with their reason', () => {
    const messages = lines.map((line) => `${String(line.message)} ${String(line.channel_order_id ?? '')}`);
    expect(messages).toContain('Order parked: it is not imported until replayed LOG-INVALID');
    expect(messages).toContain('Order parked: it is not imported until replayed LOG-REFUSED');
    expect(lines.some((line) => line.message === 'Orders imported' && line.store === STORE)).toBe(true);
  });

  it('writes none of the customer data or the return address, at any level', () => {
    expect(text.length).toBeGreaterThan(0);
    const personal = [
      SAMPLE_CUSTOMER.firstname,
      SAMPLE_CUSTOMER.lastname,
      SAMPLE_CUSTOMER.email,
      SAMPLE_CUSTOMER.phone,
      SAMPLE_CUSTOMER.street_1,
      SAMPLE_CUSTOMER.city,
      '3 rue du Retour',
      'Lille',
    ];
    for (const value of personal) expect(text, value).not.toContain(value);
  });
});
