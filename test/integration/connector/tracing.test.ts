import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../../support/stack.js';

/**
 * What X-Ray receives when a stage turns tracing on: the segments the X-Ray SDK sends to its daemon over UDP,
 * received here in place of the daemon. The SDK picks Lambda mode when it is loaded, so the environment of a
 * traced Lambda is set before anything imports it: every import of the connector below is dynamic.
 */
type Subsegment = {
  name: string;
  namespace?: string;
  annotations?: Record<string, string>;
  http?: { request?: { url?: string } };
  aws?: { operation?: string };
  subsegments?: Subsegment[];
};

const daemon = createSocket('udp4');
const received: string[] = [];
let stack: TestStack;
let personalData: string[];

const subsegments = (): Subsegment[] => {
  const flatten = (segment: Subsegment): Subsegment[] => [segment, ...(segment.subsegments ?? []).flatMap(flatten)];
  return received.flatMap((packet) => flatten(JSON.parse(packet.slice(packet.indexOf('\n') + 1)) as Subsegment));
};

beforeAll(async () => {
  daemon.on('message', (packet) => received.push(packet.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    LAMBDA_TASK_ROOT: process.cwd(),
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    _HANDLER: 'functions/order-actions.handler',
    _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    POWERTOOLS_TRACE_ENABLED: 'true',
  });
  const { startTestStack } = await import('../../support/stack.js');
  const { cancelEvent, shipmentEvent } = await import('../../fixtures/events.js');
  ({ PERSONAL_DATA: personalData } = await import('../../support/personal-data-server.js'));
  stack = await startTestStack();
  stack.mmp.addOrder({
    order_id: 'TRACE-1',
    order_state: 'SHIPPING',
    order_lines: [{ order_line_id: 'TRACE-1-1', offer_sku: 'SKU-1', quantity: 1 }],
  });
  await stack.connect.publish(shipmentEvent('TRACE-1'));
  // A cancelation reads its order first (OR11, with a query string), then cancels it whole (OR29).
  stack.mmp.addOrder({
    order_id: 'TRACE-2',
    order_state: 'SHIPPING',
    order_lines: [{ order_line_id: 'TRACE-2-1', offer_sku: 'SKU-1', quantity: 1 }],
  });
  await stack.connect.publish(cancelEvent('TRACE-2', { line: { quantity: 1 } }));
  await stack.drain();
  // The last subsegments are sent as they close: give the packets a moment to arrive.
  await new Promise((resolve) => setTimeout(resolve, 200));
}, 60_000);

afterAll(async () => {
  for (const name of [
    'LAMBDA_TASK_ROOT',
    'AWS_EXECUTION_ENV',
    '_HANDLER',
    '_X_AMZN_TRACE_ID',
    'AWS_XRAY_DAEMON_ADDRESS',
    'AWS_XRAY_CONTEXT_MISSING',
    'POWERTOOLS_TRACE_ENABLED',
  ]) {
    delete process.env[name];
  }
  daemon.close();
  await stack?.stop();
});

describe('X-Ray tracing, when the stage turns it on', () => {
  it('traces the handler, and each record annotated with its ids', () => {
    expect(subsegments().map((segment) => segment.name)).toContain('## functions/order-actions.handler');
    const record = subsegments().find((segment) => segment.name === '### record');
    expect(record?.annotations).toMatchObject({
      type: 'CREATE_SHIPMENT',
      channel_order_id: 'TRACE-1',
      store: '2005',
      action_id: expect.any(String),
    });
  });

  it('traces the calls to the marketplace and to Connect (fetch), without their query strings', () => {
    const urls = subsegments().flatMap((segment) =>
      segment.namespace === 'remote' && segment.http?.request?.url ? [segment.http.request.url] : [],
    );
    expect(urls).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/api\/orders$/),
        expect.stringMatching(/\/api\/orders\/TRACE-1\/ship$/),
        expect.stringMatching(/\/v1\/orders\/actions\//),
      ]),
    );
  });

  it('traces the AWS SDK calls', () => {
    const calls = subsegments().flatMap((segment) =>
      segment.namespace === 'aws' ? [`${segment.name} ${segment.aws?.operation}`] : [],
    );
    expect(calls).toEqual(expect.arrayContaining(['DynamoDB UpdateItem']));
  });

  it('sends no personal data to X-Ray', () => {
    expect(received.length).toBeGreaterThan(0);
    for (const value of personalData) expect(received.join('\n')).not.toContain(value);
  });
});
