import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderRefreshHandler } from '../../../functions/order-refresh.js';
import { createQueueWithDlq, type QueuePair } from '../../../local/aws/servers.js';
import { pollOnce } from '../../../local/lambda/invoke.js';
import { shipmentEvent } from '../../fixtures/events.js';
import { startTestStack, type TestStack } from '../../support/stack.js';

let stack: TestStack;
let refreshQueue: QueuePair;
beforeAll(async () => {
  stack = await startTestStack();
  refreshQueue = await createQueueWithDlq(stack.aws.sqs, 'order-refresh-after-actions', {
    maxReceiveCount: 5,
    visibilityTimeoutSeconds: 30,
  });
});
afterAll(async () => stack?.stop());

const place = (orderId: string, state: 'SHIPPING' | 'CANCELED') =>
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: state,
    order_lines: [
      { order_line_id: `${orderId}-1`, offer_sku: 'SKU-4545', quantity: 2 },
      { order_line_id: `${orderId}-2`, offer_sku: 'SKU-7788', quantity: 1 },
    ],
  });

describe('after an action, Connect sees the order the action produced (invariant 17)', () => {
  it('orderActions names the order on the order-refresh queue after each report, SUCCESS or FAILED, and orderRefresh upserts it', async () => {
    place('AFTER-1', 'SHIPPING');
    // Canceled on the marketplace: the shipment is FAILED, and the order is refreshed all the same.
    place('AFTER-2', 'CANCELED');
    const shipped = shipmentEvent('AFTER-1', { carrier: 'DHL Express', tracking_number: 'JJD0001' });
    const refused = shipmentEvent('AFTER-2', { carrier: 'DHL Express', tracking_number: 'JJD0002' });
    await stack.connect.publish(shipped);
    await stack.connect.publish(refused);

    await stack.drain({ handler: stack.orderActions({ ORDER_REFRESH_QUEUE_URL: refreshQueue.queueUrl }) });
    const statuses = Object.fromEntries(stack.connect.actions().map((action) => [action.actionId, action.status]));
    expect([statuses[shipped.data.action_id as string], statuses[refused.data.action_id as string]]).toEqual([
      'SUCCESS',
      'FAILED',
    ]);

    const refresh = createOrderRefreshHandler({
      ...stack.env,
      CONNECT_CHANNEL_ID: '0024',
      MMP_STORE_ID: '2005',
      ORDER_REFRESH_DLQ_URL: refreshQueue.dlqUrl,
    });
    const turn = await pollOnce({
      sqs: stack.aws.sqs,
      ...refreshQueue,
      handler: refresh,
      functionName: 'orderRefresh',
    });

    expect(turn).toMatchObject({ received: 2, failed: [] });
    const held = new Map(stack.connect.heldOrders().map((order) => [order.body.channel_order_id, order.body]));
    expect(held.get('AFTER-1')).toMatchObject({
      status: 'SHIPPED',
      channel_updated_at: stack.mmp.order('AFTER-1')?.last_updated_date,
    });
    expect(held.get('AFTER-2')).toMatchObject({
      status: 'CLOSED',
      status_reason: 'CANCELED',
      channel_updated_at: stack.mmp.order('AFTER-2')?.last_updated_date,
    });
    expect(
      stack.connect
        .requests()
        .filter((request) => request.path.endsWith('/v1/orders'))
        .every((request) => request.schemaErrors.length === 0),
    ).toBe(true);
  });

  it('names each order of a batch once, however many of its actions the batch carried out', async () => {
    place('AFTER-4', 'SHIPPING');
    place('AFTER-5', 'SHIPPING');
    const actions = [
      shipmentEvent('AFTER-4', { carrier: 'DHL Express', tracking_number: 'JJD0004' }),
      shipmentEvent('AFTER-4', { carrier: 'DHL Express', tracking_number: 'JJD0005' }),
      shipmentEvent('AFTER-5', { carrier: 'DHL Express', tracking_number: 'JJD0006' }),
    ];
    for (const action of actions) await stack.connect.publish(action);

    const { invocations } = await stack.drain({
      handler: stack.orderActions({ ORDER_REFRESH_QUEUE_URL: refreshQueue.queueUrl }),
    });
    const named: string[] = [];
    await pollOnce({
      sqs: stack.aws.sqs,
      ...refreshQueue,
      handler: async (event) => {
        named.push(...event.Records.map((record) => JSON.parse(record.body).channel_order_id));
        return { batchItemFailures: [] };
      },
      functionName: 'orderRefresh',
    });

    const reported = new Set(actions.map((action) => action.data.action_id));
    expect(
      stack.connect.actions().filter((action) => reported.has(action.actionId) && action.status !== 'PENDING'),
    ).toHaveLength(3);
    expect(invocations).toBe(1);
    expect(named.sort()).toEqual(['AFTER-4', 'AFTER-5']);
  });

  it('without ORDER_REFRESH_QUEUE_URL, reports as before and names nothing', async () => {
    place('AFTER-3', 'SHIPPING');
    await stack.connect.publish(shipmentEvent('AFTER-3', { carrier: 'DHL Express', tracking_number: 'JJD0003' }));

    await stack.drain();

    const turn = await pollOnce({
      sqs: stack.aws.sqs,
      ...refreshQueue,
      handler: async () => ({ batchItemFailures: [] }),
      functionName: 'orderRefresh',
    });
    expect(turn.received).toBe(0);
  });
});
