import { describe, expect, it } from 'vitest';
import { readFailure, readPurchaseOrder } from '../../../../lib/channel/purchase-order/index.js';
import { buildMmpOrder } from '../../../../local/simulators/mmp-orders.js';

describe('purchase-order answers', () => {
  const order = buildMmpOrder({
    order_id: 'PO-1',
    order_state: 'SHIPPED',
    order_lines: [{ order_line_id: 'PO-1-1', offer_sku: 'SKU-1', quantity: 1 }],
  });

  it('take a Mirakl-shaped order, and refuse another order or a body that is not one (naming fields, not values)', () => {
    expect(readPurchaseOrder('PO-1', order)).toMatchObject({ kind: 'found', order: { order_id: 'PO-1' } });
    expect(readPurchaseOrder('PO-2', order)).toEqual({
      kind: 'unreadable',
      reason: 'the answer is another order (PO-1)',
    });
    expect(readPurchaseOrder('PO-1', { ...order, order_lines: 'none', customer: { firstname: 'Camille' } })).toEqual({
      kind: 'unreadable',
      reason: 'the answer is not a Mirakl order (order_lines)',
    });
  });

  it('become dead letters (400, 404, unreadable) or retries (503 for at least a minute, credentials for five)', () => {
    expect(readFailure('PO-1', { kind: 'refused', status: 400 })).toMatchObject({
      outcome: 'dead-letter',
      reason: expect.stringMatching(/400 \(invalid id\)/),
    });
    expect(readFailure('PO-1', { kind: 'refused', status: 404 })).toMatchObject({
      outcome: 'dead-letter',
      reason: expect.stringMatching(/404 \(not found\)/),
    });
    expect(readFailure('PO-1', { kind: 'unreadable', reason: 'x' })).toMatchObject({ outcome: 'dead-letter' });
    expect(readFailure('PO-1', { kind: 'unavailable', reason: 'answered 503', retryAfterSeconds: 5 })).toMatchObject({
      outcome: 'retry',
      retryAfterSeconds: 60,
    });
    expect(readFailure('PO-1', { kind: 'unauthorized', reason: 'x' })).toMatchObject({
      outcome: 'retry',
      retryAfterSeconds: 300,
    });
  });
});
