import { PurgeQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOrderRefreshHandler } from '../../../functions/order-refresh.js';
import { createQueueWithDlq, type QueuePair } from '../../../local/aws/servers.js';
import { pollOnce, type SqsHandler } from '../../../local/lambda/invoke.js';
import { startPurchaseOrderSimulator, type PurchaseOrderSimulator } from '../../../local/simulators/purchase-order.js';
import { purchaseOrderSettings } from '../../../local/simulators/settings.js';
import { startImportStack, STORE, type ImportStack } from '../../support/import-stack.js';

/**
 * orderRefresh with ORDER_SOURCE=purchase-order, on the simulated purchase-order service and Connect. The refresh
 * queue here shows its visibility timeout quickly (1 s), so a record handed back for a minute is seen to stay hidden.
 */
let stack: ImportStack;
let service: PurchaseOrderSimulator;
let queue: QueuePair;
beforeAll(async () => {
  stack = await startImportStack();
  service = await startPurchaseOrderSimulator();
  queue = await createQueueWithDlq(stack.aws.sqs, 'purchase-order-refresh', {
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 1,
  });
});
afterAll(async () => {
  await service?.close();
  await stack?.stop();
});
beforeEach(async () => {
  await stack.reset();
  service.reset();
  for (const url of [queue.queueUrl, queue.dlqUrl]) await stack.aws.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
});

const refreshHandler = (): SqsHandler =>
  createOrderRefreshHandler({
    ...stack.env,
    ORDER_SOURCE: 'purchase-order',
    ...purchaseOrderSettings(service),
    ORDER_REFRESH_DLQ_URL: queue.dlqUrl,
  });

const name = async (...orderIds: string[]) => {
  await stack.aws.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queue.queueUrl,
      Entries: orderIds.map((orderId, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify({ channel_order_id: orderId, channel_store_id: STORE }),
      })),
    }),
  );
};
const deliver = (handler: SqsHandler) =>
  pollOnce({
    sqs: stack.aws.sqs,
    queueUrl: queue.queueUrl,
    queueArn: queue.queueArn,
    handler,
    functionName: 'orderRefresh',
  });
const place = (orderId: string) =>
  service.addOrder({
    order_id: orderId,
    order_state: 'SHIPPING',
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
  });
const held = () => new Map(stack.connect.heldOrders().map((order) => [order.body.channel_order_id, order]));
const reads = () => service.requests().filter((call) => call.route === 'order');
const deadLetterReasons = async () => {
  const { Messages = [] } = await stack.aws.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.dlqUrl,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      VisibilityTimeout: 1,
    }),
  );
  return Messages.map((message) => message.MessageAttributes?.dead_letter_reason?.StringValue).sort();
};

describe('orderRefresh with ORDER_SOURCE=purchase-order (seed 002)', () => {
  it('imports the named orders read from the service, with the same mapping, and never asks the marketplace', async () => {
    const sent = place('PO-R-1');
    place('PO-R-2');
    await name('PO-R-1', 'PO-R-2');

    expect(await deliver(refreshHandler())).toEqual({ received: 2, failed: [] });

    expect([...held().keys()].sort()).toEqual(['PO-R-1', 'PO-R-2']);
    expect(held().get('PO-R-1')?.body.channel_updated_at).toBe(sent.last_updated_date);
    expect(stack.mmp.requests().filter((call) => call.route === 'OR11')).toEqual([]);
    expect(service.requests().filter((call) => call.route === 'token')).toHaveLength(1);
  });

  it('keeps its token across deliveries of a warm container', async () => {
    place('PO-R-3');
    const handler = refreshHandler();
    await name('PO-R-3');
    await deliver(handler);
    await name('PO-R-3');
    await deliver(handler);
    expect(reads().map((call) => call.status)).toEqual([200, 200]);
    expect(service.requests().filter((call) => call.route === 'token')).toHaveLength(1);
  });

  it('dead-letters an invalid id (400) and an unknown order (404) with the reason', async () => {
    await name('bad id!', 'PO-GHOST');
    expect(await deliver(refreshHandler())).toEqual({ received: 2, failed: [] });
    expect(await deadLetterReasons()).toEqual([
      'the purchase-order service answered 400 (invalid id) for order bad id!',
      'the purchase-order service answered 404 (not found) for order PO-GHOST',
    ]);
    expect(held().size).toBe(0);
  });

  it('hands a 503 back to SQS for a minute or more, after one call per delivery', async () => {
    place('PO-R-4');
    service.injectFault({ route: 'order', status: 503, times: 10 });
    await name('PO-R-4');

    const turn = await deliver(refreshHandler());

    expect(turn.failed).toHaveLength(1);
    expect(reads().map((call) => call.status)).toEqual([503]);
    // The queue's own visibility timeout is 1 s: a record handed back for 60 s is not delivered again in the next 3 s.
    const { Messages = [] } = await stack.aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, WaitTimeSeconds: 3 }),
    );
    expect(Messages).toEqual([]);
    expect(await deadLetterReasons()).toEqual([]);
    expect(reads()).toHaveLength(1);
  });

  it('renews the token once on a 401, and reads the order', async () => {
    place('PO-R-5');
    const handler = refreshHandler();
    await name('PO-R-5');
    await deliver(handler);
    service.revokeTokens();
    await name('PO-R-5');
    expect(await deliver(handler)).toEqual({ received: 1, failed: [] });
    expect(reads().map((call) => call.status)).toEqual([200, 401, 200]);
  });
});
