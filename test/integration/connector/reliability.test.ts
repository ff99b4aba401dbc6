import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../lib/observability.js';
import { pollOnce } from '../../../local/lambda/invoke.js';
import { shipmentEvent } from '../../fixtures/events.js';
import { peekMessages, startTestStack, type TestStack } from '../../support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ visibilityTimeoutSeconds: 1 });
});
afterAll(async () => stack?.stop());
beforeEach(() => {
  stack.connect.reset();
  stack.mmp.reset();
});

let orders = 0;
const newOrder = (state: 'SHIPPING' | 'WAITING_ACCEPTANCE' | 'CANCELED' | 'CLOSED' = 'SHIPPING') => {
  const orderId = `REL-${(orders += 1)}-${Date.now().toString(36)}`;
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: state,
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
  });
  return orderId;
};
const callsFor = (orderId: string) =>
  stack.mmp
    .requests()
    .filter((request) => request.path.includes(orderId) || request.query.order_ids === orderId)
    .map((request) => `${request.method} ${request.path.replace(`/api/orders/${orderId}`, '')} ${request.status}`);
const shipCalls = (orderId: string) => callsFor(orderId).filter((call) => call.startsWith('PUT /ship 204'));
const actionOf = (actionId: unknown) => stack.connect.actions().find((action) => action.actionId === actionId);
const poll = (handler = stack.orderActions(), batchSize = 10, timeoutMs = 60_000) =>
  pollOnce({ sqs: stack.aws.sqs, ...stack.queue, handler, functionName: 'orderActions', batchSize, timeoutMs });

describe('1. one channel effect and one final report per action_id', () => {
  it('for copies delivered in one batch', async () => {
    const orderId = newOrder();
    const event = shipmentEvent(orderId);
    await stack.connect.publish(event, { duplicates: 3 });

    await stack.drain();

    expect(shipCalls(orderId)).toHaveLength(1);
    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
  });

  it('for copies delivered to concurrent invocations', async () => {
    const orderId = newOrder();
    const event = shipmentEvent(orderId);
    await stack.connect.publish(event, { duplicates: 2 });

    await Promise.all([poll(stack.orderActions(), 1), poll(stack.orderActions(), 1), poll(stack.orderActions(), 1)]);
    await stack.drain();

    expect(shipCalls(orderId)).toHaveLength(1);
    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
  });

  it('for a copy delivered long after, or replayed from the DLQ, under a new event id', async () => {
    const orderId = newOrder();
    const event = shipmentEvent(orderId);
    await stack.connect.publish(event);
    await stack.drain();

    await stack.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queue.queueUrl,
        MessageBody: JSON.stringify({ ...event, id: '01REPLAYED' }),
      }),
    );
    await stack.drain({ handler: stack.orderActions() });

    expect(callsFor(orderId)).toEqual(['PUT /tracking 204', 'PUT /ship 204']);
    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
  });
});

describe('2. the outcome is recorded before it is reported', () => {
  it('re-reports the recorded outcome after Connect failed, without calling the marketplace again', async () => {
    const orderId = newOrder();
    const event = shipmentEvent(orderId);
    await stack.connect.publish(event);
    stack.connect.injectFault({ route: 'actionStatus', status: 503, times: 4 });

    const first = await poll();
    expect(first.failed).toHaveLength(1);
    const callsBefore = callsFor(orderId);
    expect(callsBefore).toContain('PUT /ship 204');

    await stack.drain();

    expect(callsFor(orderId)).toEqual(callsBefore);
    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
  });
});

describe('3. a crash half-way', () => {
  it('completes the shipment on redelivery when the process died between OR23 and OR24', async () => {
    const orderId = newOrder();
    const event = shipmentEvent(orderId, { carrier: 'UPS', tracking_number: '1Z999' });
    await stack.connect.publish(event);
    // OR24 hangs, so the worker is killed while it waits for it, after OR23 was applied.
    stack.mmp.injectFault({ route: 'OR24', latencyMs: 8_000, times: 1 });
    const worker = spawn(process.execPath, ['--import', 'tsx', 'test/support/order-actions-worker.ts'], {
      env: {
        ...process.env,
        ...stack.env,
        WORKER_QUEUE_URL: stack.queue.queueUrl,
        WORKER_QUEUE_ARN: stack.queue.queueArn,
        WORKER_TIMEOUT_MS: '6000',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    while (!callsFor(orderId).includes('PUT /tracking 204')) await sleep(20);
    await sleep(200);
    worker.kill('SIGKILL');
    await exited;

    // The crashed invocation's claim on the order ends at its deadline (6 s): until then the redelivery finds
    // the order busy and comes back. It then sets the same tracking again (OR23 repeats harmlessly) and ships.
    await stack.drain();

    expect(stack.mmp.order(orderId)).toMatchObject({ order_state: 'SHIPPED', shipping_tracking: '1Z999' });
    expect(callsFor(orderId).filter((call) => !call.startsWith('PUT /ship 5'))).toEqual([
      'PUT /tracking 204',
      'PUT /tracking 204',
      'PUT /ship 204',
    ]);
    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
  });
});

describe('4. the retry budget is a time window', () => {
  it('hands an outage back to SQS, then reports FAILED UNAVAILABLE when the window closes', async () => {
    const orderId = newOrder();
    const event = shipmentEvent(orderId);
    await stack.connect.publish(event);
    stack.mmp.injectFault({ route: 'OR24', status: 503, times: 1000 });

    const first = await poll(stack.orderActions({ RETRY_WINDOW_MINUTES: '60' }));
    expect(first.failed).toHaveLength(1);
    expect(actionOf(event.data.action_id)?.status).toBe('PENDING');

    await stack.drain({ handler: stack.orderActions({ RETRY_WINDOW_MINUTES: '0.001' }) });

    expect(actionOf(event.data.action_id)).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'UNAVAILABLE', message: 'MMP OR24 answered 503' }],
    });
  });

  it('reports FAILED TOO_MANY_REQUEST when throttling outlasts the window', async () => {
    const orderId = newOrder();
    const event = shipmentEvent(orderId);
    await stack.connect.publish(event);
    stack.mmp.injectFault({ route: 'OR23', status: 429, retryAfterSeconds: 0, times: 1000 });

    await stack.drain({ handler: stack.orderActions({ RETRY_WINDOW_MINUTES: '0.001' }) });

    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'FAILED', errors: [{ code: 'TOO_MANY_REQUEST' }] });
  });

  it('keeps a message hidden for the Retry-After the marketplace asked, not the queue default', async () => {
    const orderId = newOrder();
    await stack.connect.publish(shipmentEvent(orderId));
    stack.mmp.injectFault({ route: 'OR23', status: 429, retryAfterSeconds: 4, times: 1 });

    // A 5 s Lambda keeps 2 s for retries in-process: a 4 s wait is handed back to SQS.
    const first = await poll(stack.orderActions(), 10, 5_000);
    expect(first.failed).toHaveLength(1);
    await sleep(2_000);
    expect((await poll()).received).toBe(0); // the queue's own visibility timeout is 1 s
    await sleep(2_500);

    expect((await poll()).received).toBe(1);
    expect(shipCalls(orderId)).toHaveLength(1);
  });

  it('fails a shipment of a closed order at once, without retrying', async () => {
    const orderId = newOrder('CLOSED');
    const event = shipmentEvent(orderId);
    await stack.connect.publish(event);

    const first = await poll();

    expect(first.failed).toEqual([]);
    expect(actionOf(event.data.action_id)).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'ORDER_IN_WRONG_STATE' }],
    });
  });

  it('retries a shipment that arrives before the acceptance is applied on the marketplace', async () => {
    const orderId = newOrder('WAITING_ACCEPTANCE');
    const event = shipmentEvent(orderId);
    await stack.connect.publish(event);

    const first = await poll();
    expect(first.failed).toHaveLength(1);
    // The acceptance reaches the marketplace (OR21), as it would a little later in real life.
    const accepted = await fetch(`${stack.mmp.url}/api/orders/${orderId}/accept`, {
      method: 'PUT',
      headers: { authorization: 'local-mmp-key', 'content-type': 'application/json' },
      body: JSON.stringify({ order_lines: [{ id: `${orderId}-1`, accepted: true }] }),
    });
    expect(accepted.status).toBe(204);

    await stack.drain();

    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
  });
});

describe('5. the dead-letter backstop', () => {
  it('reports FAILED for an action that died unreported, and archives it with the reason', async () => {
    const event = shipmentEvent(newOrder());
    stack.connect.registerAction(event.data.action_id as string);
    await stack.aws.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queue.dlqUrl, MessageBody: JSON.stringify(event) }),
    );

    expect(await stack.drainDeadLetters()).toBe(1);

    expect(actionOf(event.data.action_id)).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'UNEXPECTED', message: expect.stringContaining('maxReceiveCount') }],
    });
    const archived = await archivedLetter(`action-${event.data.action_id}`);
    expect(archived).toMatchObject({
      action_id: event.data.action_id,
      body: JSON.stringify(event),
      reason: expect.stringContaining('maxReceiveCount'),
    });
  });

  it('reports the recorded outcome of an action whose reports kept failing, not FAILED', async () => {
    const orderId = newOrder();
    const event = shipmentEvent(orderId);
    await stack.connect.publish(event);
    stack.connect.injectFault({ route: 'actionStatus', status: 503, times: 4 });
    await poll();
    await stack.aws.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queue.dlqUrl, MessageBody: JSON.stringify(event) }),
    );

    await stack.drainDeadLetters();

    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expect(shipCalls(orderId)).toHaveLength(1);
    await stack.drain();
  });

  it('archives a poison message without reporting anything', async () => {
    await stack.aws.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queue.queueUrl, MessageBody: 'not json at all' }),
    );
    await stack.drain();

    expect(await stack.drainDeadLetters()).toBe(1);

    expect(stack.connect.requests()).toEqual([]);
    const keys = await archivedKeys();
    const letters = await Promise.all(keys.filter((key) => key.includes('/message-')).map((key) => readObject(key)));
    expect(letters).toContainEqual(
      expect.objectContaining({ body: 'not json at all', reason: 'message body is not JSON' }),
    );
  });
});

describe('6. one action at a time per order', () => {
  it('runs the actions of one order in a batch in event time order, whatever the queue order', async () => {
    const orderId = newOrder();
    const later = shipmentEvent(orderId, { tracking_number: 'SECOND', time: '2026-07-08T09:00:00Z' });
    const earlier = shipmentEvent(orderId, { tracking_number: 'FIRST' });
    await stack.connect.publish({ ...later, time: '2026-07-08T09:00:00Z' });
    await stack.connect.publish({ ...earlier, time: '2026-07-08T08:00:00Z' });

    await stack.drain();

    const tracking = stack.mmp.requests().filter((request) => request.path === `/api/orders/${orderId}/tracking`);
    expect(tracking.map((request) => (request.body as { tracking_number: string }).tracking_number)).toEqual([
      'FIRST',
      'SECOND',
    ]);
    expect(actionOf(later.data.action_id)?.status).toBe('SUCCESS');
  });

  it('hands the later actions of an order back when an earlier one is handed back', async () => {
    const orderId = newOrder();
    const earlier = { ...shipmentEvent(orderId), time: '2026-07-08T08:00:00Z' };
    const later = { ...shipmentEvent(orderId), time: '2026-07-08T09:00:00Z' };
    await stack.connect.publish(earlier);
    await stack.connect.publish(later);
    stack.mmp.injectFault({ route: 'OR23', status: 503, times: 4 });

    const first = await poll();

    expect(first.failed).toHaveLength(2);
    expect(callsFor(orderId)).toEqual([
      'PUT /tracking 503',
      'PUT /tracking 503',
      'PUT /tracking 503',
      'PUT /tracking 503',
    ]);
    await stack.drain();
    expect([actionOf(earlier.data.action_id)?.status, actionOf(later.data.action_id)?.status]).toEqual([
      'SUCCESS',
      'SUCCESS',
    ]);
  });

  it('keeps two invocations from working on one order at the same time: the loser comes back later', async () => {
    const orderId = newOrder();
    const first = shipmentEvent(orderId);
    const second = shipmentEvent(orderId);
    await stack.connect.publish(first);
    await stack.connect.publish(second);
    stack.mmp.injectFault({ route: 'OR23', latencyMs: 500, times: 1 });

    const [a, b] = await Promise.all([poll(stack.orderActions(), 1), poll(stack.orderActions(), 1)]);

    expect(a.failed.length + b.failed.length).toBe(1);
    await stack.drain();
    expect(shipCalls(orderId)).toHaveLength(1);
    expect([actionOf(first.data.action_id)?.status, actionOf(second.data.action_id)?.status]).toEqual([
      'SUCCESS',
      'SUCCESS',
    ]);
  });
});

describe('7. poison messages never block their batch', () => {
  it('moves an action without action_id to the DLQ with its reason, and acknowledges catalog events', async () => {
    const orderId = newOrder();
    const good = shipmentEvent(orderId);
    const { action_id: _, ...noId } = shipmentEvent(orderId).data;
    await stack.connect.publish(good);
    await stack.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queue.queueUrl,
        MessageBody: JSON.stringify({ ...good, id: '01NOACTION', data: noId }),
      }),
    );
    await stack.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queue.queueUrl,
        MessageBody: JSON.stringify({
          id: '01STOCK',
          type: 'PRICE_STOCK_UPSERT',
          time: '2026-07-01T10:15:30Z',
          data: { store_id: '2005' },
        }),
      }),
    );

    const { failed } = await stack.drain();

    expect(failed).toBe(0);
    expect(actionOf(good.data.action_id)?.status).toBe('SUCCESS');
    const dead = await peekMessages(stack.aws, stack.queue.dlqUrl);
    expect(dead.map((message) => message.MessageAttributes?.dead_letter_reason?.StringValue)).toEqual([
      'CREATE_SHIPMENT event without data.action_id: cannot report on it',
    ]);
    await sleep(1_000);
    await stack.drainDeadLetters();
  });
});

describe('8. a rotated marketplace key', () => {
  it('re-reads the key once after a 401, and logs an error naming the store when it is still refused', async () => {
    const logged = vi.spyOn(logger, 'error');
    const recovered = newOrder();
    const recoveredEvent = shipmentEvent(recovered);
    await stack.connect.publish(recoveredEvent);
    stack.mmp.injectFault({ route: 'OR23', status: 401, times: 1 });
    await stack.drain();
    expect(actionOf(recoveredEvent.data.action_id)?.status).toBe('SUCCESS');

    const refused = newOrder();
    await stack.connect.publish(shipmentEvent(refused));
    stack.mmp.injectFault({ route: 'OR23', status: 401, times: 2 });
    const turn = await poll();

    expect(turn.failed).toHaveLength(1);
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining('API key'),
      expect.objectContaining({ store: '2005', operation: 'OR23', status: 401 }),
    );
    logged.mockRestore();
    await sleep(1_000);
    await stack.drain();
  });
});

const archivedKeys = async () => {
  const { Contents = [] } = await stack.aws.s3.send(
    new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: 'dead-letters/' }),
  );
  return Contents.map((object) => object.Key as string);
};
const readObject = async (key: string) => {
  const object = await stack.aws.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
  return JSON.parse(await (object.Body as { transformToString(): Promise<string> }).transformToString()) as Record<
    string,
    unknown
  >;
};
const archivedLetter = async (name: string) => {
  const key = (await archivedKeys()).find((candidate) => candidate.includes(name));
  if (!key) throw new Error(`no archived dead letter named ${name}`);
  return readObject(key);
};
