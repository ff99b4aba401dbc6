import { setTimeout as sleep } from 'node:timers/promises';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { pollOnce } from '../local/lambda/invoke.js';
import type { MmpFault } from '../local/simulators/mmp.js';
import { acceptEvent, refundEvent, shipmentEvent } from '../test/fixtures/events.js';
import { startTestStack, type TestStack } from '../test/support/stack.js';
import { rate, table } from './figures.js';

const ORDERS = 500;
const INVOCATIONS_IN_FLIGHT = 4;
const DUPLICATE_SHARE = 0.05;
/** One marketplace call in this many meets a fault. */
const FAULT_EVERY = 10;
const FAULTS: Array<Omit<MmpFault, 'route'>> = [
  { status: 503, times: 1 },
  { status: 429, retryAfterSeconds: 1, times: 1 },
  { latencyMs: 300, times: 1 },
];
const GIVE_UP_MS = 15 * 60_000;

/**
 * A shuffled stream through the real handler and the real queue: 500 orders awaiting acceptance, each accepted,
 * shipped and, one in three, refunded; 5 % of the events sent twice; one marketplace call in ten meets a fault
 * (503, 429 with Retry-After, 300 ms of latency). Four invocations poll the queue, as the event source mapping
 * would. Prints the throughput, the marketplace calls per action by operation, the share of SUCCESS and the
 * effects that happened twice (must be 0).
 */
export const run = async () => {
  const stack = await startTestStack({
    maxReceiveCount: 100,
    // The deployed default, not the tests' second: how often an action waiting for a state reads the order is part of the figures.
    env: {
      MMP_REFUND_REASON_CODES: JSON.stringify({ RETURN: '18' }),
      MMP_CARRIER_LOOKUP: 'false',
      STATE_WAIT_SECONDS: '60',
    },
  });
  try {
    const events = stream(stack);
    const stopFaults = injectFaults(stack);
    const started = performance.now();
    for (const event of events)
      await stack.connect.publish(event, { duplicates: Math.random() < DUPLICATE_SHARE ? 1 : 0 });
    await drain(stack);
    const seconds = (performance.now() - started) / 1000;
    stopFaults();
    report(stack, events.length, seconds);
  } finally {
    await stack.stop();
  }
};

type Event = ReturnType<typeof shipmentEvent>;

/** The events of every order in the order a seller makes them (so their `time`s ascend), then shuffled. */
const stream = (stack: TestStack): Event[] => {
  const events: Event[] = [];
  for (let index = 0; index < ORDERS; index += 1) {
    const orderId = `SOAK-${index}`;
    stack.mmp.addOrder({
      order_id: orderId,
      order_state: 'WAITING_ACCEPTANCE',
      order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
    });
    events.push(acceptEvent(orderId, { order_lines: [{ channel_order_line_id: `${orderId}-1`, accepted: true }] }));
    events.push(shipmentEvent(orderId, { carrier: 'UPS', tracking_number: `1Z-${index}` }));
    if (index % 3 === 0) {
      events.push(
        refundEvent(orderId, {
          currency: 'EUR',
          line: {
            reason: 'RETURN',
            quantity: 1,
            price: { amount: 9.99, currency: 'EUR' },
            shipping_price: { amount: 0, currency: 'EUR' },
          },
        }),
      );
    }
  }
  for (let index = events.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [events[index], events[other]] = [events[other] as Event, events[index] as Event];
  }
  return events;
};

/** Puts a fault on the route of every tenth marketplace call, as they come: faults follow the traffic. */
const injectFaults = (stack: TestStack) => {
  let injected = 0;
  const timer = setInterval(() => {
    const requests = stack.mmp.requests();
    while (injected < Math.floor(requests.length / FAULT_EVERY)) {
      const route = requests[(injected + 1) * FAULT_EVERY - 1]?.route as MmpFault['route'];
      stack.mmp.injectFault({ route, ...(FAULTS[injected % FAULTS.length] as Omit<MmpFault, 'route'>) });
      injected += 1;
    }
  }, 10);
  return () => clearInterval(timer);
};

/** Four pollers, as Lambda's event source mapping, until the queue is empty and nothing is in flight. */
const drain = async (stack: TestStack) => {
  const handler = stack.orderActions();
  const giveUpAt = Date.now() + GIVE_UP_MS;
  const waiting = async () => {
    const { Attributes = {} } = await stack.aws.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.queue.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  };
  await Promise.all(
    Array.from({ length: INVOCATIONS_IN_FLIGHT }, async () => {
      while (Date.now() < giveUpAt) {
        const turn = await pollOnce({ sqs: stack.aws.sqs, ...stack.queue, handler, functionName: 'orderActions' });
        if (turn.received > 0) continue;
        if ((await waiting()) === 0) return;
        await sleep(100);
      }
      throw new Error('the soak did not drain within 15 minutes');
    }),
  );
};

const report = (stack: TestStack, actions: number, seconds: number) => {
  const requests = stack.mmp.requests();
  const byRoute = new Map<string, number>();
  for (const request of requests) byRoute.set(request.route, (byRoute.get(request.route) ?? 0) + 1);
  const reported = stack.connect.actions();
  const succeeded = reported.filter((action) => action.status === 'SUCCESS').length;
  const applied = (route: string) => requests.filter((request) => request.route === route && request.status < 300);
  const twice = (route: string) => {
    const perOrder = new Map<string, number>();
    for (const request of applied(route)) perOrder.set(request.path, (perOrder.get(request.path) ?? 0) + 1);
    return [...perOrder.values()].filter((count) => count > 1).length;
  };
  const refundedTwice = [...Array(ORDERS).keys()].filter(
    (index) => (stack.mmp.order(`SOAK-${index}`)?.order_lines[0]?.refunds.length ?? 0) > 1,
  ).length;

  console.log(
    `${actions} actions (${ORDERS} orders, shuffled, ${Math.round(DUPLICATE_SHARE * 100)} % sent twice, a fault on 1 marketplace call in ${FAULT_EVERY})`,
  );
  table([
    ['', 'value'],
    ['actions/s (publish to last report)', rate(actions / seconds)],
    [
      'final, reported once',
      `${reported.filter((action) => action.status !== 'PENDING' && action.reports === 1).length} / ${actions}`,
    ],
    ['SUCCESS share', `${((100 * succeeded) / actions).toFixed(1)} %`],
    ['duplicate effects (OR21, OR24 applied twice; two refunds)', twice('OR21') + twice('OR24') + refundedTwice],
  ]);
  table([
    ['MMP calls per action', ...[...byRoute.keys()].sort()],
    ['', ...[...byRoute.keys()].sort().map((route) => ((byRoute.get(route) ?? 0) / actions).toFixed(2))],
  ]);
  const failures = reported.filter((action) => action.status === 'FAILED').map((action) => action.errors?.[0]?.code);
  if (failures.length > 0)
    console.log(
      `FAILED: ${[...new Set(failures)].map((code) => `${code} ×${failures.filter((other) => other === code).length}`).join(', ')}`,
    );
};
