import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { readArchiveRequest } from '../../../lib/archive/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shipmentEvent } from '../../fixtures/events.js';
import { peekMessages, startTestStack, type TestStack } from '../../support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.stop());
beforeEach(() => {
  stack.connect.reset();
  stack.mmp.reset();
});

const shippingOrder = (orderId: string, state = 'SHIPPING') =>
  stack.mmp.addOrder({
    order_id: orderId,
    order_state: state as 'SHIPPING',
    order_lines: [
      { order_line_id: `${orderId}-1`, offer_sku: 'SKU-4545', quantity: 2 },
      { order_line_id: `${orderId}-2`, offer_sku: 'SKU-7788', quantity: 1 },
    ],
  });

const mmpCalls = () => stack.mmp.requests().map((request) => `${request.method} ${request.path} ${request.status}`);
const actionOf = (actionId: unknown) => stack.connect.actions().find((action) => action.actionId === actionId);

/** Every body the connector sent to Connect followed the vendor spec. */
const expectValidReports = () => {
  const reports = stack.connect.requests().filter((request) => request.path.includes('/v1/orders/actions/'));
  expect(reports.length).toBeGreaterThan(0);
  for (const report of reports) expect(report.schemaErrors).toEqual([]);
};

describe('orderActions: CREATE_SHIPMENT from the queue to MMP and back', () => {
  it('ships the order (OR23 then OR24) and reports SUCCESS', async () => {
    shippingOrder('MKP-100');
    const event = shipmentEvent('MKP-100', {
      carrier: 'DHL Express',
      tracking_number: 'JJD0001',
      tracking_url: 'https://dhl.example/JJD0001',
    });
    await stack.connect.publish(event);

    await stack.drain();

    expect(mmpCalls()).toEqual([
      'GET /api/shipping/carriers 200',
      'PUT /api/orders/MKP-100/tracking 204',
      'PUT /api/orders/MKP-100/ship 204',
    ]);
    expect(stack.mmp.requests()[1]?.body).toEqual({ carrier_code: 'DHL', tracking_number: 'JJD0001' });
    expect(stack.mmp.order('MKP-100')?.order_state).toBe('SHIPPED');
    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'SUCCESS', reports: 1 });
    expectValidReports();
  });

  it('sends a carrier the marketplace does not know as an unregistered carrier', async () => {
    shippingOrder('MKP-101');
    const event = shipmentEvent('MKP-101', {
      carrier: 'Transports Martin',
      tracking_number: 'TM778812',
      tracking_url: 'https://suivi.tm.fr/?n=TM778812',
    });
    await stack.connect.publish(event);

    await stack.drain();

    const tracking = stack.mmp.requests().find((request) => request.path.endsWith('/tracking'));
    expect(tracking?.body).toEqual({
      carrier_name: 'Transports Martin',
      carrier_url: 'https://suivi.tm.fr/?n=TM778812',
      tracking_number: 'TM778812',
    });
    expect(actionOf(event.data.action_id)?.status).toBe('SUCCESS');
  });

  it('reports FAILED ORDER_IN_WRONG_STATE when the marketplace order is canceled, without shipping it', async () => {
    shippingOrder('MKP-102', 'CANCELED');
    const event = shipmentEvent('MKP-102');
    await stack.connect.publish(event);

    await stack.drain();

    expect(mmpCalls()).toEqual(['PUT /api/orders/MKP-102/tracking 400', 'GET /api/orders 200']);
    expect(actionOf(event.data.action_id)).toMatchObject({
      status: 'FAILED',
      errors: [
        { code: 'ORDER_IN_WRONG_STATE', message: 'Order MKP-102 is CANCELED on the marketplace and cannot be shipped' },
      ],
    });
    expectValidReports();
  });

  it('reports FAILED DATA_NOT_FOUND for an order the marketplace does not know', async () => {
    const event = shipmentEvent('MKP-404');
    await stack.connect.publish(event);

    await stack.drain();

    expect(actionOf(event.data.action_id)).toMatchObject({ status: 'FAILED', errors: [{ code: 'DATA_NOT_FOUND' }] });
  });

  it('rides out a marketplace 503 (twice, then OK) and reports SUCCESS', async () => {
    shippingOrder('MKP-103');
    stack.mmp.injectFault({ route: 'OR24', status: 503, times: 2 });
    const event = shipmentEvent('MKP-103');
    await stack.connect.publish(event);

    await stack.drain();

    expect(mmpCalls().filter((call) => call.includes('/ship'))).toEqual([
      'PUT /api/orders/MKP-103/ship 503',
      'PUT /api/orders/MKP-103/ship 503',
      'PUT /api/orders/MKP-103/ship 204',
    ]);
    expect(actionOf(event.data.action_id)?.status).toBe('SUCCESS');
  });

  it('refuses a partial shipment as ACTION_NOT_SUPPORTED rather than shipping the whole order', async () => {
    shippingOrder('MKP-104');
    const event = shipmentEvent('MKP-104', {
      items: [{ channel_order_line_id: 'MKP-104-1', id: 'SKU-4545', quantity: 2 }],
    });
    await stack.connect.publish(event);

    await stack.drain();

    expect(stack.mmp.order('MKP-104')?.order_state).toBe('SHIPPING');
    expect(actionOf(event.data.action_id)).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'ACTION_NOT_SUPPORTED' }],
    });
  });

  it('reports an action type it does not know as ACTION_NOT_SUPPORTED, never leaving it pending', async () => {
    const event = { ...shipmentEvent('MKP-105'), type: 'SPLIT_ORDER' };
    await stack.connect.publish(event);

    await stack.drain();

    expect(actionOf(event.data.action_id)).toMatchObject({
      status: 'FAILED',
      errors: [
        { code: 'ACTION_NOT_SUPPORTED', message: 'Event type SPLIT_ORDER is not an order action this connector knows' },
      ],
    });
  });

  it('moves a non-JSON message to the DLQ with its reason while its neighbours succeed', async () => {
    shippingOrder('MKP-106');
    shippingOrder('MKP-107');
    const first = shipmentEvent('MKP-106');
    const second = shipmentEvent('MKP-107');
    await stack.connect.publish(first);
    await stack.aws.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queue.queueUrl, MessageBody: '{"id": "01J", "type": "CREATE_SHIPM' }),
    );
    await stack.connect.publish(second);

    const { failed } = await stack.drain();

    expect(failed).toBe(0);
    expect(actionOf(first.data.action_id)?.status).toBe('SUCCESS');
    expect(actionOf(second.data.action_id)?.status).toBe('SUCCESS');
    const [dead, ...others] = await peekMessages(stack.aws, stack.queue.dlqUrl);
    expect(others).toEqual([]);
    expect(dead?.Body).toBe('{"id": "01J", "type": "CREATE_SHIPM');
    expect(dead?.MessageAttributes?.dead_letter_reason?.StringValue).toBe('message body is not JSON');
  });

  it('reports an invalid event with a readable action id as FAILED INVALID_INPUT naming the field', async () => {
    const event = shipmentEvent('MKP-108', { carrier: undefined });
    await stack.connect.publish(event);

    await stack.drain();

    expect(actionOf(event.data.action_id)).toMatchObject({
      status: 'FAILED',
      errors: [{ code: 'MISSING_CARRIER', message: 'Invalid CREATE_SHIPMENT event: carrier is required' }],
    });
    expectValidReports();
  });

  it('uses one Connect token for many events', async () => {
    for (const orderId of ['MKP-110', 'MKP-111', 'MKP-112']) {
      shippingOrder(orderId);
      await stack.connect.publish(shipmentEvent(orderId));
    }

    await stack.drain();

    expect(stack.connect.actions().map((action) => action.status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(stack.connect.tokensIssued).toBeLessThanOrEqual(1);
  });

  it('asks documentArchive to archive the order documents after a successful shipment, only when configured', async () => {
    const { QueueUrl: archiveQueue = '' } = await stack.aws.sqs.send(
      new CreateQueueCommand({ QueueName: 'document-archive-requests' }),
    );
    shippingOrder('MKP-120');
    shippingOrder('MKP-121');
    stack.mmp.addOrder({
      order_id: 'MKP-122',
      order_state: 'CANCELED',
      order_lines: [{ order_line_id: 'MKP-122-1', offer_sku: 'SKU-1', quantity: 1 }],
    });
    await stack.connect.publish(shipmentEvent('MKP-120'));
    await stack.drain({ handler: stack.orderActions({ DOCUMENT_ARCHIVE_QUEUE_URL: archiveQueue }) });
    await stack.connect.publish(shipmentEvent('MKP-121'));
    await stack.connect.publish(shipmentEvent('MKP-122'));

    await stack.drain({
      handler: stack.orderActions({ ARCHIVE_DOCUMENTS_AFTER: 'true', DOCUMENT_ARCHIVE_QUEUE_URL: archiveQueue }),
    });

    const requests = (await peekMessages(stack.aws, archiveQueue)).map((message) =>
      readArchiveRequest(message.Body ?? ''),
    );
    expect(requests).toEqual([
      {
        ok: true,
        request: { source: 'marketplace', order_id: 'MKP-121', channel_store_id: '2005', channel_id: '0024' },
      },
    ]);
  });
});
