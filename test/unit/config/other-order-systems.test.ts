import { describe, expect, it } from 'vitest';
import { ConfigError, readDocumentArchiveConfig, readOrderSourceConfig } from '../../../lib/config/index.js';

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
      purchaseOrder: {
        ...purchaseOrder,
        PURCHASE_ORDER_API_URL: 'https://po.example.com',
        PURCHASE_ORDER_CONCURRENCY: 5,
      },
    });
  });

  it('names what is missing when the purchase-order service is the source', () => {
    expect(
      problemsOf(() =>
        readOrderSourceConfig({ ORDER_SOURCE: 'purchase-order', PURCHASE_ORDER_API_URL: 'https://po.example.com' }),
      ),
    ).toEqual([
      'PURCHASE_ORDER_AUTH_URL is required',
      'PURCHASE_ORDER_CLIENT_ID is required',
      'PURCHASE_ORDER_CLIENT_SECRET or PURCHASE_ORDER_CLIENT_SECRET_PARAM is required',
    ]);
    expect(problemsOf(() => readOrderSourceConfig({ ORDER_SOURCE: 'erp' }))).toEqual([
      'ORDER_SOURCE must be mmp or purchase-order',
    ]);
  });
});

describe('the operations source configuration of documentArchive', () => {
  const base = { DOCUMENTS_BUCKET: 'bucket' };

  it('is off, saying which variables to set, without OPERATIONS_API_URL', () => {
    expect(readDocumentArchiveConfig(base).operations).toEqual({
      configured: false,
      reason:
        'the operations API variables OPERATIONS_API_URL and OPERATIONS_API_TOKEN (or OPERATIONS_API_TOKEN_PARAM) are not set',
    });
  });

  it('archives only without CONNECT_CHANNEL_ID; uploads with it, which then needs the Connect credentials', () => {
    const api = { OPERATIONS_API_URL: 'https://ops.example.com/api/v1.0', OPERATIONS_API_TOKEN: 'token' };
    expect(readDocumentArchiveConfig({ ...base, ...api }).operations).toEqual({ configured: true, config: { api } });
    expect(readDocumentArchiveConfig({ ...base, ...api, CONNECT_CHANNEL_ID: '0024' }).operations).toEqual({
      configured: false,
      reason: 'CONNECT_CLIENT_ID is required; CONNECT_CLIENT_SECRET or CONNECT_CLIENT_SECRET_PARAM is required',
    });
    const withConnect = readDocumentArchiveConfig({
      ...base,
      ...api,
      CONNECT_CHANNEL_ID: '0024',
      MMP_STORE_ID: 'main',
      CONNECT_CLIENT_ID: 'c',
      CONNECT_CLIENT_SECRET: 's',
    }).operations;
    expect(withConnect).toMatchObject({
      configured: true,
      config: {
        api,
        upload: { CONNECT_CHANNEL_ID: '0024', MMP_STORE_ID: 'main', connect: { CONNECT_CLIENT_ID: 'c' } },
      },
    });
  });

  it('needs the token with the URL', () => {
    expect(
      readDocumentArchiveConfig({ ...base, OPERATIONS_API_URL: 'https://ops.example.com/api/v1.0' }).operations,
    ).toEqual({
      configured: false,
      reason: 'OPERATIONS_API_TOKEN or OPERATIONS_API_TOKEN_PARAM is required',
    });
  });
});
