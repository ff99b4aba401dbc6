import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, readMessage } from '../../../lib/actions/index.js';
import { shipmentEvent, vendorExample, vendorExamples } from '../../fixtures/events.js';

const read = (event: unknown) => readMessage(JSON.stringify(event));

describe('readMessage', () => {
  it.each(vendorExamples().map(({ summary, event }) => [summary, event] as const))(
    'reads the vendor example "%s"',
    (_summary, event) => {
      const result = read(event);
      expect(result).toMatchObject({ kind: 'action', action: { type: event.type }, actionId: event.data.action_id });
    },
  );

  it('accepts the vendor REFUND example with order_line_id instead of channel_order_line_id', () => {
    const result = read(vendorExample('REFUND'));
    expect(result.kind === 'action' && result.action.payload).toMatchObject({
      refunds: [{ channel_order_line_id: '0002_3202630-A-1' }],
    });
  });

  it('accepts the vendor UPLOAD_DOCUMENT example with a flat document_entity_id', () => {
    const result = read(vendorExample('UPLOAD_DOCUMENT'));
    expect(result.kind === 'action' && result.action.payload).toMatchObject({
      document_entity: { id: 'f3eb7305-e629-4087-ae31-6e2d7c199283', type: 'RETURN' },
    });
  });

  it('tolerates unknown fields and unknown enum values', () => {
    const event = shipmentEvent('MKP-1', { new_field: { nested: true } });
    const cancel = vendorExample('CANCEL');
    (cancel.data.cancelations as Array<Record<string, unknown>>)[0]!.reason = 'SOME_FUTURE_REASON';
    expect(read({ ...event, extra: 1 }).kind).toBe('action');
    expect(read(cancel).kind).toBe('action');
  });

  it('carries the ids every log line needs', () => {
    const event = shipmentEvent('MKP-42');
    expect(read(event).ids).toEqual({
      event_id: event.id,
      event_time: event.time,
      action_id: event.data.action_id,
      type: 'CREATE_SHIPMENT',
      channel_order_id: 'MKP-42',
      store: '2005',
    });
  });

  it('sends a body that is not JSON to the dead-letter queue', () => {
    expect(readMessage('{"id": "01J", "type": "CREATE_SHIP')).toEqual({
      kind: 'poison',
      reason: 'message body is not JSON',
      ids: {},
    });
  });

  it('sends an oversized body to the dead-letter queue', () => {
    expect(readMessage(' '.repeat(MAX_MESSAGE_BYTES + 1))).toMatchObject({
      kind: 'poison',
      reason: expect.stringContaining('larger than'),
    });
  });

  it('sends an action without action_id to the dead-letter queue', () => {
    const event = shipmentEvent('MKP-1');
    delete event.data.action_id;
    expect(read(event)).toMatchObject({
      kind: 'poison',
      reason: 'CREATE_SHIPMENT event without data.action_id: cannot report on it',
    });
  });

  it('acknowledges events that are not order actions (catalog events)', () => {
    const stock = {
      id: '01jv299c9w8jcv2d0tpb0tfpg0',
      type: 'PRICE_STOCK_UPSERT',
      time: '2026-07-01T10:15:30.500Z',
      data: { channel_id: '0024', store_id: '2005' },
    };
    expect(read(stock)).toMatchObject({ kind: 'not-an-action', ids: { type: 'PRICE_STOCK_UPSERT' } });
  });

  it('rejects an invalid envelope that still carries an action id as INVALID_INPUT', () => {
    const { time: _, ...event } = shipmentEvent('MKP-1');
    expect(read(event)).toMatchObject({
      kind: 'rejected',
      outcome: {
        status: 'FAILED',
        errors: [{ code: 'INVALID_INPUT', message: 'not a Connect event envelope: time is required' }],
      },
    });
  });

  it('names the wrong fields of an invalid payload', () => {
    const event = shipmentEvent('MKP-1', { items: [{ channel_order_line_id: 'L1', quantity: 'two' }] });
    const result = read(event);
    expect(result.kind).toBe('rejected');
    expect(result.kind === 'rejected' && result.outcome).toEqual({
      status: 'FAILED',
      errors: [
        {
          code: 'INVALID_INPUT',
          message: 'Invalid CREATE_SHIPMENT event: items.0.quantity Invalid input: expected number, received string',
        },
      ],
    });
  });

  it('reports a shipment without carrier as MISSING_CARRIER', () => {
    const event = shipmentEvent('MKP-1', { carrier: ' ' });
    expect(read(event)).toMatchObject({
      kind: 'rejected',
      outcome: { errors: [{ code: 'MISSING_CARRIER', message: 'Invalid CREATE_SHIPMENT event: carrier is required' }] },
    });
  });

  it('reports an unknown action type as ACTION_NOT_SUPPORTED', () => {
    const event = { ...shipmentEvent('MKP-1'), type: 'SPLIT_ORDER' };
    expect(read(event)).toMatchObject({
      kind: 'rejected',
      outcome: {
        errors: [
          {
            code: 'ACTION_NOT_SUPPORTED',
            message: 'Event type SPLIT_ORDER is not an order action this connector knows',
          },
        ],
      },
    });
  });

  it('takes the action from data.action_type when the envelope type is ORDER_ACTION', () => {
    const event = shipmentEvent('MKP-1');
    expect(
      read({ ...event, type: 'ORDER_ACTION', data: { ...event.data, action_type: 'CREATE_SHIPMENT' } }),
    ).toMatchObject({ kind: 'action', action: { type: 'CREATE_SHIPMENT' } });
    expect(read({ ...event, type: 'ORDER_ACTION' })).toMatchObject({
      kind: 'rejected',
      outcome: {
        errors: [
          {
            code: 'ACTION_NOT_SUPPORTED',
            message: 'ORDER_ACTION event names no action (data.action_type or data.type)',
          },
        ],
      },
    });
  });
});
