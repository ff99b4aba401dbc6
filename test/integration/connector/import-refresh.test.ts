import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inChunksOf } from '../../../lib/queue/index.js';
import { startImportStack, STORE, type ImportStack } from '../../support/import-stack.js';

let stack: ImportStack;
beforeAll(async () => {
  stack = await startImportStack();
});
afterAll(async () => stack?.stop());
beforeEach(async () => stack.reset());

const place = (orderId: string, state: 'SHIPPING' | 'SHIPPED' = 'SHIPPING') =>
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: state,
    shopId: STORE,
    order_lines: [{ order_line_id: `${orderId}-1`, offer_sku: 'SKU-1', quantity: 1 }],
  });

const name = async (bodies: unknown[]) => {
  for (const chunk of inChunksOf(10, bodies)) {
    await stack.aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.refreshQueue.queueUrl,
        Entries: chunk.map((body, index) => ({
          Id: String(index),
          MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
        })),
      }),
    );
  }
};

const held = () => new Map(stack.connect.heldOrders().map((order) => [order.body.channel_order_id, order]));
const upsertCalls = () =>
  stack.connect.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/v1/orders'));

describe('orderRefresh: the orders named on the order-refresh queue, read again and upserted whole', () => {
  it('reads them with one OR11 call per 100 ids of a store and upserts them 100 per call', async () => {
    const orders = Array.from({ length: 150 }, (_, index) => `REF-${index + 1}`);
    for (const orderId of orders) place(orderId);
    // Named twice, and without a store (the single store): each order is read and sent once.
    await name([
      ...orders.map((orderId) => ({ channel_order_id: orderId, channel_store_id: STORE })),
      { channel_order_id: 'REF-7' },
    ]);

    const { received, failed } = await stack.refresh();

    expect({ received, failed }).toEqual({ received: 151, failed: [] });
    const byIds = stack.mmp.requests().filter((request) => request.route === 'OR11');
    expect(byIds.map((request) => request.query.order_ids?.split(',').length)).toEqual([100, 50]);
    expect(byIds.every((request) => request.query.order_tax_mode === 'TAX_EXCLUDED')).toBe(true);
    expect(upsertCalls().map((call) => call.status)).toEqual([204, 204]);
    expect(held().size).toBe(150);
    expect(held().get('REF-150')?.body.channel_updated_at).toBe(stack.mmp.order('REF-150')?.last_updated_date);
  });

  it('acknowledges an order the marketplace does not have, with a warning, and does not retry it', async () => {
    place('REAL-1');
    await name([
      { channel_order_id: 'GHOST-1', channel_store_id: STORE },
      { channel_order_id: 'REAL-1', channel_store_id: STORE },
    ]);

    const { received, failed } = await stack.refresh();

    expect({ received, failed }).toEqual({ received: 2, failed: [] });
    expect([...held().keys()]).toEqual(['REAL-1']);
    expect(await stack.peek(stack.refreshQueue.queueUrl)).toEqual([]);
    expect(await stack.peek(stack.refreshQueue.dlqUrl)).toEqual([]);
  });

  it('moves an unreadable message to the DLQ with the reason, and refreshes the rest', async () => {
    place('OK-1');
    await name(['not json', { order: 'OK-1' }, { channel_order_id: 'OK-1' }]);

    const { failed } = await stack.refresh();

    expect(failed).toEqual([]);
    expect(held().has('OK-1')).toBe(true);
    const reasons = (await stack.peek(stack.refreshQueue.dlqUrl))
      .map((message) => message.MessageAttributes?.dead_letter_reason?.StringValue)
      .sort();
    expect(reasons).toEqual([
      'message body is not JSON',
      'not an order-refresh message: channel_order_id Invalid input: expected string, received undefined',
    ]);
  });

  it('dead-letters a refresh for a store this deployment does not serve, with the reason', async () => {
    await name([{ channel_order_id: 'ANY-1', channel_store_id: 'elsewhere' }]);

    const { failed } = await stack.refresh();

    expect(failed).toEqual([]);
    const [letter] = await stack.peek(stack.refreshQueue.dlqUrl);
    expect(letter?.MessageAttributes?.dead_letter_reason?.StringValue).toBe(
      'store elsewhere is not served by this deployment',
    );
  });

  it('hands the messages back to the queue when the marketplace is down (not dead-lettered)', async () => {
    place('LATER-1');
    stack.mmp.injectFault({ route: 'OR11', status: 503, times: 10 });
    await name([{ channel_order_id: 'LATER-1', channel_store_id: STORE }]);

    const down = await stack.refresh();

    expect(down.failed).toHaveLength(1);
    expect(held().has('LATER-1')).toBe(false);
    expect(await stack.peek(stack.refreshQueue.dlqUrl)).toEqual([]);
  });

  it("refreshes the orders' returns with them", async () => {
    place('WITH-RET', 'SHIPPED');
    const opened = stack.mmp.addReturn({ order_id: 'WITH-RET' });
    await stack.aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.refreshQueue.queueUrl,
        MessageBody: JSON.stringify({ channel_order_id: 'WITH-RET' }),
      }),
    );

    await stack.refresh();

    const rt11 = stack.mmp.requests().filter((request) => request.route === 'RT11');
    expect(rt11.map((request) => request.query.order_line_id)).toEqual(['WITH-RET-1']);
    expect(stack.connect.heldReturns().map((item) => item.body.channel_return_id)).toEqual([opened.id]);
  });
});
