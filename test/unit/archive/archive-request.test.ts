import { describe, expect, it } from 'vitest';
import { readArchiveRequest } from '../../../lib/archive/index.js';

describe('operations archive requests', () => {
  it('take an operation id or a reference', () => {
    expect(readArchiveRequest(JSON.stringify({ source: 'operations', order_id: 123 }))).toEqual({
      ok: true,
      request: { source: 'operations', order_id: '123' },
    });
    expect(
      readArchiveRequest(JSON.stringify({ source: 'operations', reference: 'marie_order_2014_12_20' })),
    ).toMatchObject({ ok: true, request: { reference: 'marie_order_2014_12_20' } });
  });

  it('refuse neither or both', () => {
    expect(readArchiveRequest(JSON.stringify({ source: 'operations' }))).toEqual({
      ok: false,
      reason: 'invalid archive request: (message) needs exactly one of order_id and reference',
    });
    expect(readArchiveRequest(JSON.stringify({ source: 'operations', order_id: '1', reference: 'R' }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/exactly one of order_id and reference/),
    });
  });
});
