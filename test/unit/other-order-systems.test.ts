import { describe, expect, it } from 'vitest';
import { readArchiveRequest } from '../../lib/archive/index.js';
import { connectDocumentType, pdfFileName } from '../../lib/channel/operations/index.js';
import { readFailure, readOrder } from '../../lib/channel/purchase-order/index.js';
import { ConfigError, readDocumentArchiveConfig, readOrderSourceConfig } from '../../lib/config/index.js';
import { buildMmpOrder } from '../../local/simulators/mmp-orders.js';

const problemsOf = (read: () => unknown): string[] => {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const purchaseOrder = {
  PURCHASE_ORDER_API_URL: 'https://po.example.com/',
  PURCHASE_ORDER_AUTH_URL: 'https://po.example.com/oauth/token',
  PURCHASE_ORDER_CLIENT_ID: 'client',
  PURCHASE_ORDER_CLIENT_SECRET_PARAM: '/connector/dev/purchase-order-secret',
};

describe('readOrderSourceConfig', () => {
  it('reads the marketplace by default, without any PURCHASE_ORDER_* variable', () => {
    expect(readOrderSourceConfig({})).toEqual({ ORDER_SOURCE: 'mmp' });
  });

  it('with ORDER_SOURCE=purchase-order, reads the service and its OAuth2 client (secret from SSM), with the default concurrency', () => {
    expect(readOrderSourceConfig({ ORDER_SOURCE: 'purchase-order', ...purchaseOrder })).toEqual({
      ORDER_SOURCE: 'purchase-order',
      purchaseOrder: { ...purchaseOrder, PURCHASE_ORDER_API_URL: 'https://po.example.com', PURCHASE_ORDER_CONCURRENCY: 5 },
    });
  });

  it('names what is missing when the purchase-order service is the source', () => {
    expect(problemsOf(() => readOrderSourceConfig({ ORDER_SOURCE: 'purchase-order', PURCHASE_ORDER_API_URL: 'https://po.example.com' }))).toEqual([
      'PURCHASE_ORDER_AUTH_URL is required',
      'PURCHASE_ORDER_CLIENT_ID is required',
      'PURCHASE_ORDER_CLIENT_SECRET or PURCHASE_ORDER_CLIENT_SECRET_PARAM is required',
    ]);
    expect(problemsOf(() => readOrderSourceConfig({ ORDER_SOURCE: 'erp' }))).toEqual(['ORDER_SOURCE must be mmp or purchase-order']);
  });
});

describe('the operations source configuration of documentArchive', () => {
  const base = { DOCUMENTS_BUCKET: 'bucket' };

  it('is off, saying which variables to set, without OPERATIONS_API_URL', () => {
    expect(readDocumentArchiveConfig(base).operations).toEqual({
      configured: false,
      reason: 'the operations API variables OPERATIONS_API_URL and OPERATIONS_API_TOKEN (or OPERATIONS_API_TOKEN_PARAM) are not set',
    });
  });

  it('archives only without CONNECT_CHANNEL_ID; uploads with it, which then needs the Connect credentials', () => {
    const api = { OPERATIONS_API_URL: 'https://ops.example.com/api/v1.0', OPERATIONS_API_TOKEN: 'token' };
    expect(readDocumentArchiveConfig({ ...base, ...api }).operations).toEqual({ configured: true, config: { api } });
    expect(readDocumentArchiveConfig({ ...base, ...api, CONNECT_CHANNEL_ID: '0024' }).operations).toEqual({
      configured: false,
      reason: 'CONNECT_CLIENT_ID is required; CONNECT_CLIENT_SECRET or CONNECT_CLIENT_SECRET_PARAM is required',
    });
    const withConnect = readDocumentArchiveConfig({ ...base, ...api, CONNECT_CHANNEL_ID: '0024', MMP_STORE_ID: 'main', CONNECT_CLIENT_ID: 'c', CONNECT_CLIENT_SECRET: 's' }).operations;
    expect(withConnect).toMatchObject({ configured: true, config: { api, upload: { CONNECT_CHANNEL_ID: '0024', MMP_STORE_ID: 'main', connect: { CONNECT_CLIENT_ID: 'c' } } } });
  });

  it('needs the token with the URL', () => {
    expect(readDocumentArchiveConfig({ ...base, OPERATIONS_API_URL: 'https://ops.example.com/api/v1.0' }).operations).toEqual({
      configured: false,
      reason: 'OPERATIONS_API_TOKEN or OPERATIONS_API_TOKEN_PARAM is required',
    });
  });
});

describe('operations archive requests', () => {
  it('take an operation id or a reference', () => {
    expect(readArchiveRequest(JSON.stringify({ source: 'operations', order_id: 123 }))).toEqual({ ok: true, request: { source: 'operations', order_id: '123' } });
    expect(readArchiveRequest(JSON.stringify({ source: 'operations', reference: 'marie_order_2014_12_20' }))).toMatchObject({ ok: true, request: { reference: 'marie_order_2014_12_20' } });
  });

  it('refuse neither or both', () => {
    expect(readArchiveRequest(JSON.stringify({ source: 'operations' }))).toEqual({ ok: false, reason: 'invalid archive request: (message) needs exactly one of order_id and reference' });
    expect(readArchiveRequest(JSON.stringify({ source: 'operations', order_id: '1', reference: 'R' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/exactly one of order_id and reference/) });
  });
});

describe('operation → Connect document', () => {
  it.each([
    ['INVOICE', { type: 'CUSTOMER_INVOICE' }],
    ['DELIVERY_NOTE', { type: 'DELIVERY_SLIP' }],
    ['DELIVERY', { type: 'SHIPMENT_DELIVERY_SLIP' }],
    ['PRE_ORDER', { type: 'CHANNEL_SPECIFIC', channel_type: 'PRE_ORDER' }],
    ['toString', { type: 'CHANNEL_SPECIFIC', channel_type: 'toString' }],
  ])('%s is %o', (operationType, expected) => {
    expect(connectDocumentType(operationType)).toEqual(expected);
  });

  it('names the PDF after its link, or after the operation', () => {
    expect(pdfFileName({ id: '5', operationType: 'INVOICE', pdfUrl: 'https://ops.example.com/entity1-1450169988465/orderPDF/4_marie_order_2014_12_20.pdf' })).toBe('4_marie_order_2014_12_20.pdf');
    expect(pdfFileName({ id: '5', operationType: 'INVOICE', pdfUrl: 'https://ops.example.com/' })).toBe('INVOICE-5.pdf');
  });
});

describe('purchase-order answers', () => {
  const order = buildMmpOrder({ order_id: 'PO-1', order_state: 'SHIPPED', order_lines: [{ order_line_id: 'PO-1-1', offer_sku: 'SKU-1', quantity: 1 }] });

  it('take a Mirakl-shaped order, and refuse another order or a body that is not one (naming fields, not values)', () => {
    expect(readOrder('PO-1', order)).toMatchObject({ kind: 'found', order: { order_id: 'PO-1' } });
    expect(readOrder('PO-2', order)).toEqual({ kind: 'unreadable', reason: 'the answer is another order (PO-1)' });
    expect(readOrder('PO-1', { ...order, order_lines: 'none', customer: { firstname: 'Camille' } })).toEqual({ kind: 'unreadable', reason: 'the answer is not a Mirakl order (order_lines)' });
  });

  it('become dead letters (400, 404, unreadable) or retries (503 for at least a minute, credentials for five)', () => {
    expect(readFailure('PO-1', { kind: 'refused', status: 400 })).toMatchObject({ outcome: 'dead-letter', reason: expect.stringMatching(/400 \(invalid id\)/) });
    expect(readFailure('PO-1', { kind: 'refused', status: 404 })).toMatchObject({ outcome: 'dead-letter', reason: expect.stringMatching(/404 \(not found\)/) });
    expect(readFailure('PO-1', { kind: 'unreadable', reason: 'x' })).toMatchObject({ outcome: 'dead-letter' });
    expect(readFailure('PO-1', { kind: 'unavailable', reason: 'answered 503', retryAfterSeconds: 5 })).toMatchObject({ outcome: 'retry', retryAfterSeconds: 60 });
    expect(readFailure('PO-1', { kind: 'unauthorized', reason: 'x' })).toMatchObject({ outcome: 'retry', retryAfterSeconds: 300 });
  });
});
