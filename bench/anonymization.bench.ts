import { enqueueUpdates } from '../lib/anonymization/index.js';
import type { AnonymizeErrorDetail } from '../local/simulators/connect.js';
import { daysFromNow, startAnonymizationStack } from '../test/support/anonymization-stack.js';
import { table } from './figures.js';

const UPDATES = 10_000;
const BATCH_SIZE = 1_000;
const POISON_SHARE = 0.01;
const MINIMUM_CALLS = Math.ceil(UPDATES / 100);

/** A small seeded generator, so every run poisons the same orders. */
const seeded = (seed: number) => () => {
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  return seed / 2 ** 32;
};

/**
 * `npm run bench -- anonymization`: 10,000 updates through fauxqs, the anonymization function and the
 * simulated Connect over HTTP, in batches of 1,000. Counts the calls to Connect against the minimum
 * ceil(N/100), and with 1% of the orders unknown to Connect, the extra calls per unknown order
 * (goal: 1 when Connect names the field; at most 2·ceil(log2 100) = 14 when it does not).
 */
export async function run(): Promise<void> {
  const stack = await startAnonymizationStack();

  const scenario = async (label: string, poisoned: number, detail: AnonymizeErrorDetail) => {
    await stack.reset();
    stack.connect.setAnonymizeErrorDetail(detail);
    const random = seeded(8);
    const anonymizeAfter = daysFromNow(365);
    const orders = Array.from({ length: UPDATES }, (_, index) => ({
      channel_id: '0024',
      channel_order_id: `MKP-${index}-A`,
      anonymize_after: anonymizeAfter,
    }));
    const poison = new Set<number>();
    while (poison.size < poisoned) poison.add(Math.floor(random() * UPDATES));
    for (const [index, order] of orders.entries()) {
      if (!poison.has(index)) stack.connect.registerOrder(order.channel_id, order.channel_order_id);
    }

    const enqueueStart = performance.now();
    await enqueueUpdates({ sqs: stack.aws.sqs, queueUrl: stack.queue.queueUrl, orders });
    const enqueueSeconds = (performance.now() - enqueueStart) / 1000;

    const drainStart = performance.now();
    let invocations = 0;
    let failed = 0;
    for (
      let turn = await stack.invoke({ batchSize: BATCH_SIZE });
      turn.received > 0;
      turn = await stack.invoke({ batchSize: BATCH_SIZE })
    ) {
      invocations += 1;
      failed += turn.failed.length;
    }
    const drainSeconds = (performance.now() - drainStart) / 1000;

    const calls = stack.calls().length;
    const applied = stack.connect.knownOrders().filter((order) => order.updates > 0).length;
    const extraPerPoison = poisoned > 0 ? ((calls - MINIMUM_CALLS) / poisoned).toFixed(2) : '-';
    return [
      label,
      calls,
      MINIMUM_CALLS,
      extraPerPoison,
      applied,
      failed,
      invocations,
      enqueueSeconds.toFixed(2),
      drainSeconds.toFixed(2),
      Math.round(UPDATES / drainSeconds),
    ];
  };

  try {
    const poisoned = Math.round(UPDATES * POISON_SHARE);
    console.log(
      `${UPDATES} updates in batches of ${BATCH_SIZE}; minimum calls ceil(N/100) = ${MINIMUM_CALLS}; then ${poisoned} (1%) orders unknown to Connect.`,
    );
    console.log(
      'Goal: extra calls per poison order 1 when Connect names the field, at most 2·ceil(log2 100) = 14 when not.',
    );
    table([
      ['', 'calls', 'minimum', 'extra/poison', 'applied', 'failed', 'invocations', 'enqueue s', 'drain s', 'updates/s'],
      await scenario('all valid', 0, 'every-order'),
      await scenario('1% unknown, Connect names each', poisoned, 'every-order'),
      await scenario('1% unknown, Connect names the first', poisoned, 'first-order'),
      await scenario('1% unknown, Connect names none (bisection)', poisoned, 'no-field'),
    ]);
  } finally {
    await stack.stop();
  }
}
