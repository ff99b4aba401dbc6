import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SqsHandler } from '../../../local/lambda/invoke.js';
import { shipmentEvent, vendorExample } from '../../fixtures/events.js';
import { captureOutput } from '../../support/output-capture.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

/**
 * The EMF lines the connector writes, read from stdout as CloudWatch would read them. Metrics are off in the
 * test configuration, and Powertools reads that when the module is loaded: the handler is loaded afresh here,
 * after turning them on.
 */
type Emf = {
  _aws: {
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
} & Record<string, unknown>;

let stack: TestStack;
let handler: SqsHandler;
let catalogue: string[];
let emitted: Emf[];

const values = (blob: Emf, name: string): number[] => {
  const value = blob[name];
  return Array.isArray(value) ? (value as number[]) : typeof value === 'number' ? [value] : [];
};

/** The sum of a metric over the lines published under exactly these dimension sets (and dimension values). */
const total = (name: string, dimensionSets: string[][], dimensions: Record<string, string> = {}) =>
  emitted
    .filter((blob) => JSON.stringify(blob._aws.CloudWatchMetrics[0]?.Dimensions) === JSON.stringify(dimensionSets))
    .filter((blob) => Object.entries(dimensions).every(([key, value]) => blob[key] === value))
    .flatMap((blob) => values(blob, name))
    .reduce((sum, value) => sum + value, 0);

beforeAll(async () => {
  stack = await startTestStack();
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  vi.resetModules();
  const { createOrderActionsHandler } = await import('../../../functions/order-actions.js');
  const { MetricName } = await import('../../../lib/observability.js');
  catalogue = Object.values(MetricName);
  handler = createOrderActionsHandler(stack.env);

  const shipped = shipmentEvent('EMF-1');
  stack.mmp.addOrder({
    order_id: 'EMF-1',
    order_state: 'SHIPPING',
    order_lines: [{ order_line_id: 'EMF-1-1', offer_sku: 'SKU-1', quantity: 1 }],
  });
  stack.mmp.addOrder({
    order_id: 'EMF-2',
    order_state: 'CANCELED',
    order_lines: [{ order_line_id: 'EMF-2-1', offer_sku: 'SKU-1', quantity: 1 }],
  });
  const send = (body: string) =>
    stack.aws.sqs.send(new SendMessageCommand({ QueueUrl: stack.queue.queueUrl, MessageBody: body }));

  const output = captureOutput();
  try {
    await stack.connect.publish(shipped);
    await stack.connect.publish(shipmentEvent('EMF-2'));
    await stack.drain({ handler });
    // A copy of the shipped action, one Connect never heard of (expired), an unknown type, and poison.
    await send(JSON.stringify(shipped));
    await send(JSON.stringify(shipmentEvent('EMF-1')));
    await stack.connect.publish({
      ...vendorExample('ACCEPT'),
      id: 'evt-new-type',
      type: 'SPLIT_ORDER',
      data: { action_id: 'act-new-type', channel_order_id: 'EMF-3' },
    });
    await send('{not json');
    await stack.drain({ handler });
    // Connect down for a while: the report fails, the message is handed back, and reported later.
    stack.mmp.addOrder({
      order_id: 'EMF-4',
      order_state: 'SHIPPING',
      order_lines: [{ order_line_id: 'EMF-4-1', offer_sku: 'SKU-1', quantity: 1 }],
    });
    stack.connect.injectFault({ route: 'actionStatus', status: 503, times: 4 });
    await stack.connect.publish(shipmentEvent('EMF-4'));
    await stack.drain({ handler });
  } finally {
    output.stop();
  }
  emitted = output.json().filter((line): line is Emf => '_aws' in line);
}, 90_000);

afterAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  await stack?.stop();
});

describe('EMF metrics of orderActions', () => {
  it('publishes every metric in one namespace, by names of the catalogue, under few dimension sets', () => {
    expect(emitted.length).toBeGreaterThan(0);
    for (const blob of emitted) {
      const [directive, ...others] = blob._aws.CloudWatchMetrics;
      expect(others).toEqual([]);
      expect(directive?.Namespace).toBe('MiraklConnectConnector');
      for (const metric of directive?.Metrics ?? []) expect(catalogue).toContain(metric.Name);
      for (const set of directive?.Dimensions ?? [])
        expect([['service'], ['service', 'type'], ['service', 'code']]).toContainEqual(set);
      expect(blob.service).toBe('mirakl-connect-connector');
    }
  });

  it('counts actions received, succeeded and failed, in total and by type and error code', () => {
    // Deliveries: two actions, a copy, an expired one, the unknown type, the action whose report failed (twice).
    expect(total('ActionsReceived', [['service']])).toBe(7);
    expect(total('ActionsReceived', [['service', 'type']], { type: 'CREATE_SHIPMENT' })).toBe(6);
    expect(total('ActionsReceived', [['service', 'type']], { type: 'OTHER' })).toBe(1);
    expect(total('ActionsSucceeded', [['service']])).toBe(3);
    expect(total('ActionsSucceeded', [['service', 'type']], { type: 'CREATE_SHIPMENT' })).toBe(3);
    expect(total('ActionsFailed', [['service']])).toBe(2);
    expect(
      total(
        'ActionsFailed',
        [
          ['service', 'type'],
          ['service', 'code'],
        ],
        { type: 'CREATE_SHIPMENT', code: 'ORDER_IN_WRONG_STATE' },
      ),
    ).toBe(1);
    expect(
      total(
        'ActionsFailed',
        [
          ['service', 'type'],
          ['service', 'code'],
        ],
        { type: 'OTHER', code: 'ACTION_NOT_SUPPORTED' },
      ),
    ).toBe(1);
  });

  it('counts duplicates, expired actions, failed reports, retries by code and poison messages', () => {
    expect(total('DuplicatesSkipped', [['service']])).toBe(1);
    expect(total('ExpiredActions', [['service']])).toBe(1);
    expect(total('ReportsFailed', [['service']])).toBe(1);
    expect(total('Retries', [['service']])).toBe(1);
    expect(total('Retries', [['service', 'code']], { code: 'UNAVAILABLE' })).toBe(1);
    expect(total('PoisonMessages', [['service']])).toBe(1);
  });

  it('measures the latency from the event time to each report Connect took, in milliseconds', () => {
    const latencies = emitted.flatMap((blob) => values(blob, 'EndToEndLatency'));
    expect(latencies).toHaveLength(4);
    for (const latency of latencies) expect(latency).toBeGreaterThanOrEqual(0);
    const unit = emitted
      .flatMap((blob) => blob._aws.CloudWatchMetrics[0]?.Metrics ?? [])
      .find((metric) => metric.Name === 'EndToEndLatency')?.Unit;
    expect(unit).toBe('Milliseconds');
  });
});
