import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../../../local/aws/servers.js';
import {
  startEventSourceMapping,
  type EventSourceMapping,
  type EventSourceMappingOptions,
} from '../../../local/lambda/event-source-mapping.js';
import type { InvocationResult } from '../../../local/runtime/containers.js';

let aws: LocalAws;
let mapping: EventSourceMapping | undefined;
let queueCount = 0;

beforeAll(async () => {
  aws = await startLocalAws();
});
afterEach(async () => {
  await mapping?.stop();
  mapping = undefined;
});
afterAll(async () => aws?.stop());

const createQueue = async (attributes: Record<string, string>) => {
  queueCount += 1;
  const { QueueUrl } = await aws.sqs.send(
    new CreateQueueCommand({ QueueName: `esm-${queueCount}`, Attributes: attributes }),
  );
  const { Attributes } = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl as string, arn: Attributes?.QueueArn as string };
};

const send = async (queue: { url: string }, ...bodies: string[]) => {
  for (const body of bodies) await aws.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
};

/** Every delivery the function got: body, receive count and when. */
interface Delivery {
  body: string;
  receiveCount: number;
  at: number;
}

const start = (
  queue: { url: string; arn: string },
  options: Partial<EventSourceMappingOptions> & {
    handle?: (records: SQSRecord[]) => Promise<InvocationResult> | InvocationResult;
  },
) => {
  const deliveries: Delivery[] = [];
  const batches: string[][] = [];
  const handle = options.handle ?? (() => ({ ok: true, payload: { batchItemFailures: [] } }));
  mapping = startEventSourceMapping({
    sqs: aws.sqs,
    queue,
    reportBatchItemFailures: true,
    maximumConcurrency: 1,
    ...options,
    invoke: async (event: SQSEvent) => {
      batches.push(event.Records.map((record) => record.body));
      for (const record of event.Records) {
        deliveries.push({
          body: record.body,
          receiveCount: Number(record.attributes.ApproximateReceiveCount),
          at: Date.now(),
        });
      }
      return handle(event.Records);
    },
  });
  return { deliveries, batches };
};

const failing = (records: SQSRecord[], failed: (record: SQSRecord) => boolean): InvocationResult => ({
  ok: true,
  payload: { batchItemFailures: records.filter(failed).map((record) => ({ itemIdentifier: record.messageId })) },
});

const waitFor = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
};

const countOf = (deliveries: Delivery[], body: string) =>
  deliveries.filter((delivery) => delivery.body === body).length;

describe('the local SQS event source mapping, against fauxqs', () => {
  it('deletes the records that succeeded and hands back only those reported in batchItemFailures', async () => {
    const queue = await createQueue({ VisibilityTimeout: '1' });
    await send(queue, 'a', 'b', 'c');
    const { deliveries } = start(queue, {
      handle: (records) =>
        failing(records, (record) => record.body === 'b' && record.attributes.ApproximateReceiveCount === '1'),
    });

    await waitFor(() => countOf(deliveries, 'b') === 2);
    await sleep(1200);

    expect(deliveries.map(({ body, receiveCount }) => `${body}#${receiveCount}`).sort()).toEqual([
      'a#1',
      'b#1',
      'b#2',
      'c#1',
    ]);
    const [first, second] = deliveries.filter((delivery) => delivery.body === 'b');
    // It stayed in flight until the queue's visibility timeout ended.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('returns the whole batch when the function fails', async () => {
    const queue = await createQueue({ VisibilityTimeout: '1' });
    await send(queue, 'a', 'b');
    let invocations = 0;
    const { deliveries } = start(queue, {
      handle: () =>
        ++invocations === 1
          ? { ok: false, error: { errorType: 'Error', errorMessage: 'boom' } }
          : { ok: true, payload: null },
    });

    await waitFor(() => deliveries.length === 4);

    expect(deliveries.map(({ body, receiveCount }) => `${body}#${receiveCount}`).sort()).toEqual([
      'a#1',
      'a#2',
      'b#1',
      'b#2',
    ]);
  });

  it('returns the whole batch when batchItemFailures names a record that is not in it', async () => {
    const queue = await createQueue({ VisibilityTimeout: '1' });
    await send(queue, 'a', 'b');
    let invocations = 0;
    const { deliveries } = start(queue, {
      handle: () => ({
        ok: true,
        payload: { batchItemFailures: ++invocations === 1 ? [{ itemIdentifier: 'not-in-the-batch' }] : [] },
      }),
    });

    await waitFor(() => deliveries.length === 4);

    expect(deliveries.filter((delivery) => delivery.receiveCount === 2)).toHaveLength(2);
  });

  it('ignores batchItemFailures without ReportBatchItemFailures: a successful invocation deletes every record', async () => {
    const queue = await createQueue({ VisibilityTimeout: '1' });
    await send(queue, 'a', 'b');
    const { deliveries } = start(queue, {
      reportBatchItemFailures: false,
      handle: (records) => failing(records, () => true),
    });

    await waitFor(() => deliveries.length === 2);
    await sleep(1500);

    expect(deliveries).toHaveLength(2);
  });

  it('moves a message to the DLQ after exactly maxReceiveCount receives', async () => {
    const dlq = await createQueue({});
    const queue = await createQueue({
      VisibilityTimeout: '0',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    await send(queue, 'poison');
    const { deliveries } = start(queue, { handle: (records) => failing(records, () => true) });

    let deadLetters: string[] = [];
    await waitFor(() => deliveries.length >= 3);
    const deadline = Date.now() + 5000;
    while (deadLetters.length === 0 && Date.now() < deadline) {
      const { Messages = [] } = await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1 }),
      );
      deadLetters = Messages.map((message) => message.Body ?? '');
    }
    await sleep(300);

    expect(deadLetters).toEqual(['poison']);
    expect(deliveries.map((delivery) => delivery.receiveCount)).toEqual([1, 2, 3]);
  });

  it('lets the function bring a failed record back early with ChangeMessageVisibility', async () => {
    const queue = await createQueue({ VisibilityTimeout: '30' });
    await send(queue, 'soon', 'late');
    const { deliveries } = start(queue, {
      handle: async (records) => {
        for (const record of records.filter(
          (candidate) => candidate.body === 'soon' && candidate.attributes.ApproximateReceiveCount === '1',
        )) {
          await aws.sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queue.url,
              ReceiptHandle: record.receiptHandle,
              VisibilityTimeout: 1,
            }),
          );
        }
        return failing(records, (record) => record.attributes.ApproximateReceiveCount === '1');
      },
    });

    await waitFor(() => countOf(deliveries, 'soon') === 2);
    await sleep(1000);

    // 'late' keeps the queue's 30 s visibility timeout.
    expect(countOf(deliveries, 'late')).toBe(1);
  });

  it('gathers records within the batching window, up to the batch size', async () => {
    const queue = await createQueue({});
    const { batches } = start(queue, { batchSize: 3, batchingWindowSeconds: 1 });

    await send(queue, 'a');
    await sleep(200);
    await send(queue, 'b');
    await sleep(200);
    await send(queue, 'c', 'd');
    await waitFor(() => batches.flat().length === 4);

    expect(batches[0]).toEqual(['a', 'b', 'c']);
    expect(batches[1]).toEqual(['d']);
  });

  it('never runs more invocations at once than maximumConcurrency', async () => {
    const queue = await createQueue({});
    await send(queue, ...['1', '2', '3', '4', '5', '6']);
    let running = 0;
    let mostAtOnce = 0;
    const { deliveries } = start(queue, {
      batchSize: 1,
      maximumConcurrency: 2,
      handle: async () => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(200);
        running -= 1;
        return { ok: true, payload: null };
      },
    });

    await waitFor(() => deliveries.length === 6);

    expect(mostAtOnce).toBe(2);
  });
});
