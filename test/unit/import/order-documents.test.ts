import { describe, expect, it } from 'vitest';
import { transientlyFailed } from '../../../lib/import/index.js';

describe('transientlyFailed: the orders whose documents are worth trying again soon', () => {
  it('keeps the transient failures only, one entry per order, with the longest Retry-After asked (0 included)', () => {
    const retry = transientlyFailed([
      { channelOrderId: 'A', documentId: '1', reason: 'Connect 503', transient: true, retryAfterSeconds: 0 },
      { channelOrderId: 'A', documentId: '2', reason: 'Connect 429', transient: true, retryAfterSeconds: 20 },
      { channelOrderId: 'B', documentId: '3', reason: 'Connect 400', transient: false },
      { channelOrderId: 'C', reason: 'MMP OR72 timed out', transient: true },
      { channelOrderId: 'D', documentId: '4', reason: 'Connect 503', transient: true, retryAfterSeconds: 0 },
    ]);

    expect(Object.fromEntries(retry)).toEqual({ A: { retryAfterSeconds: 20 }, C: {}, D: { retryAfterSeconds: 0 } });
  });
});
