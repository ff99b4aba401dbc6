import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueueUpdates } from '../../../lib/anonymization/index.js';
import { daysFromNow, startAnonymizationStack, type AnonymizationStack } from '../../support/anonymization-stack.js';

let stack: AnonymizationStack;
beforeAll(async () => {
  stack = await startAnonymizationStack();
});
afterAll(async () => stack?.stop());
beforeEach(async () => stack.reset());

const CHANNEL = '0024';
let orderCount = 0;

/** `count` orders Connect knows, with fresh ids. */
const knownOrders = (count: number): string[] =>
  Array.from({ length: count }, () => {
    const orderId = `MKP-${(orderCount += 1)}-A`;
    stack.connect.registerOrder(CHANNEL, orderId);
    return orderId;
  });

const update = (orderId: string, anonymizeAfter = daysFromNow(90)) => ({
  channel_id: CHANNEL,
  channel_order_id: orderId,
  anonymize_after: anonymizeAfter,
});

const enqueue = async (updates: Array<ReturnType<typeof update>>) => {
  const { failed } = await enqueueUpdates({ sqs: stack.aws.sqs, queueUrl: stack.queue.queueUrl, orders: updates });
  expect(failed).toEqual([]);
};

const enqueueRaw = (body: string) =>
  stack.aws.sqs.send(new SendMessageCommand({ QueueUrl: stack.queue.queueUrl, MessageBody: body }));

const dateOf = (orderId: string) =>
  stack.connect.knownOrders().find((order) => order.channel_order_id === orderId)?.anonymize_after;

const deadLetters = async () => {
  const { Messages = [] } = await stack.aws.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: stack.queue.dlqUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
    }),
  );
  return Messages.map((message) => ({
    body: message.Body,
    reason: message.MessageAttributes?.dead_letter_reason?.StringValue,
  }));
};

/** Every call carried each order once and followed the vendor spec. */
const expectWellFormedCalls = () => {
  for (const request of stack.connect.requests().filter((call) => call.path.endsWith('/anonymize-after'))) {
    expect(request.schemaErrors).toEqual([]);
    const orders = (request.body as { orders: Array<{ channel_order_id: string }> }).orders.map(
      (order) => order.channel_order_id,
    );
    expect(new Set(orders).size).toBe(orders.length);
  }
};

describe('anonymization: from the queue to Connect, 100 orders per call', () => {
  it('applies a burst of 250 updates reaching one invocation in 3 calls', async () => {
    const orders = knownOrders(250);
    await enqueue(orders.map((orderId) => update(orderId)));

    const { received, failed } = await stack.invoke();

    expect({ received, failed }).toEqual({ received: 250, failed: [] });
    expect(stack.calls().map((call) => [call.status, call.orders.length])).toEqual([
      [204, 100],
      [204, 100],
      [204, 50],
    ]);
    expect(stack.connect.knownOrders().filter((order) => order.updates === 1)).toHaveLength(250);
    expect(await stack.depth(stack.queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
    expectWellFormedCalls();
  });

  it('collapses several updates of one order: the most recently sent wins, even with an earlier date', async () => {
    const [repeated = '', single = ''] = knownOrders(2);
    const dates = [400, 300, 200].map(daysFromNow);
    for (const date of dates) {
      await enqueue([update(repeated, date)]);
      await sleep(5);
    }
    await enqueue([update(single)]);

    const { received, failed } = await stack.invoke();

    expect({ received, failed }).toEqual({ received: 4, failed: [] });
    expect(stack.calls().map((call) => call.orders.map((order) => order.channel_order_id))).toEqual([
      [repeated, single],
    ]);
    expect(dateOf(repeated)).toBe(dates[2]);
    expect(await stack.depth(stack.queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('applies 99 orders in 2 calls when Connect names the unknown one, which alone fails', async () => {
    const orders = knownOrders(99);
    orders.splice(42, 0, 'MKP-UNKNOWN-1');
    await enqueue(orders.map((orderId) => update(orderId)));

    const { failed } = await stack.invoke();

    expect(failed).toHaveLength(1);
    expect(stack.calls().map((call) => [call.status, call.orders.length])).toEqual([
      [400, 100],
      [204, 99],
    ]);
    expect(stack.calls()[1]?.orders.map((order) => order.channel_order_id)).not.toContain('MKP-UNKNOWN-1');
    expect(stack.connect.knownOrders().filter((order) => order.updates === 1)).toHaveLength(99);
    // Handed back to the queue (hidden until its next attempt): the redrive policy ends it in the DLQ.
    expect(await stack.depth(stack.queue.queueUrl)).toEqual({ visible: 0, inFlight: 1 });
    expectWellFormedCalls();
  });

  it('isolates the unknown order by bisection when Connect names no field', async () => {
    stack.connect.setAnonymizeErrorDetail('no-field');
    const orders = knownOrders(99);
    orders.splice(70, 0, 'MKP-UNKNOWN-2');
    await enqueue(orders.map((orderId) => update(orderId)));

    const { failed } = await stack.invoke();

    expect(failed).toHaveLength(1);
    expect(stack.connect.knownOrders().filter((order) => order.updates === 1)).toHaveLength(99);
    const calls = stack.calls();
    expect(calls.length - 1).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(100)));
    expect(calls.filter((call) => call.status === 204).flatMap((call) => call.orders)).toHaveLength(99);
    expectWellFormedCalls();
  });

  it('resends until clean when Connect names only the first refused order', async () => {
    stack.connect.setAnonymizeErrorDetail('first-order');
    const orders = knownOrders(97);
    orders.splice(10, 0, 'MKP-UNKNOWN-3');
    orders.splice(50, 0, 'MKP-UNKNOWN-4');
    orders.splice(90, 0, 'MKP-UNKNOWN-5');
    await enqueue(orders.map((orderId) => update(orderId)));

    const { failed } = await stack.invoke();

    expect(failed).toHaveLength(3);
    expect(stack.calls().map((call) => [call.status, call.orders.length])).toEqual([
      [400, 100],
      [400, 99],
      [400, 98],
      [204, 97],
    ]);
  });

  it('dead-letters a past date, a date within the minimum retention and a non-JSON body before any call', async () => {
    const [orderId = ''] = knownOrders(1);
    await enqueue([update(orderId, daysFromNow(-1)), update(orderId, daysFromNow(2))]);
    await enqueueRaw('{"channel_id": "0024", "channel_order');

    const { received, failed } = await stack.invoke();

    expect({ received, failed }).toEqual({ received: 3, failed: [] });
    expect(stack.calls()).toEqual([]);
    expect((await deadLetters()).map((letter) => letter.reason).sort()).toEqual([
      'anonymize_after is in the past',
      'anonymize_after is less than 30 days after the update was sent (minimum retention)',
      'message body is not JSON',
    ]);
  });

  it('applies its valid neighbours when one message of the batch is invalid', async () => {
    const [first = '', second = ''] = knownOrders(2);
    const invalid = JSON.stringify({ channel_id: CHANNEL, anonymize_after: daysFromNow(90) });
    await enqueue([update(first)]);
    await enqueueRaw(invalid);
    await enqueue([update(second)]);

    const { failed } = await stack.invoke();

    expect(failed).toEqual([]);
    expect(stack.calls().map((call) => [call.status, call.orders.length])).toEqual([[204, 2]]);
    expect(await deadLetters()).toEqual([{ body: invalid, reason: 'channel_order_id is required' }]);
  });

  it('rides out a 429 with Retry-After and a 503 within the invocation', async () => {
    const orders = knownOrders(3);
    stack.connect.injectFault({ route: 'anonymizeAfter', status: 429, times: 1, retryAfterSeconds: 1 });
    stack.connect.injectFault({ route: 'anonymizeAfter', status: 503, times: 1 });
    await enqueue(orders.map((orderId) => update(orderId)));

    const { failed } = await stack.invoke();

    expect(failed).toEqual([]);
    expect(stack.calls().map((call) => call.status)).toEqual([429, 503, 204]);
  });

  it('hands the records back without calling Connect when the invocation has too little time left', async () => {
    const orders = knownOrders(5);
    await enqueue(orders.map((orderId) => update(orderId)));

    const { failed } = await stack.invoke({ timeoutMs: 4_000 });

    expect(failed).toHaveLength(5);
    expect(stack.calls()).toEqual([]);
    expect(await stack.depth(stack.queue.queueUrl)).toEqual({ visible: 0, inFlight: 5 });
  });

  it('hands the records back once an outage of Connect outlasts the in-process retries', async () => {
    const orders = knownOrders(2);
    stack.connect.injectFault({ route: 'anonymizeAfter', status: 503, times: 4 });
    await enqueue(orders.map((orderId) => update(orderId)));

    const { failed } = await stack.invoke();

    expect(failed).toHaveLength(2);
    expect(stack.calls().map((call) => call.status)).toEqual([503, 503, 503, 503]);
    expect(stack.connect.knownOrders().every((order) => order.updates === 0)).toBe(true);
  });
});
