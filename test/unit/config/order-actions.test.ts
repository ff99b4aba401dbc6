import { describe, expect, it } from 'vitest';
import { ConfigError, readOrderActionsConfig } from '../../../lib/config/index.js';

const minimal = {
  CONNECT_CLIENT_ID: 'client',
  CONNECT_CLIENT_SECRET: 'secret',
  MMP_API_URL: 'https://acme.mirakl.net/',
  MMP_API_KEY: 'key',
  ORDER_ACTIONS_DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq',
  IDEMPOTENCY_TABLE: 'mirakl-connect-connector-dev-idempotency',
  DOCUMENTS_BUCKET: 'mirakl-connect-connector-dev-documents',
};

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    readOrderActionsConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('readOrderActionsConfig', () => {
  it('starts with only the contract variables and fills the documented defaults', () => {
    const config = readOrderActionsConfig(minimal);
    expect(config.connect.CONNECT_API_URL).toBe('https://miraklconnect.com/api/channel-platform');
    expect(config.connect.CONNECT_AUTH_URL).toBe('https://auth.mirakl.net/oauth/token');
    expect(config.mmp.MMP_API_URL).toBe('https://acme.mirakl.net');
    expect(config.mmp.MMP_CARRIER_CODES).toEqual({});
    expect(config.mmp.MMP_CARRIER_LOOKUP).toBe(true);
    expect(config.orderActions.RETRY_WINDOW_MINUTES).toBe(240);
    expect(config.orderActions.RECORD_CONCURRENCY).toBe(10);
    expect(config.runtime.HTTP_TIMEOUT_MS).toBe(10_000);
    expect(config.mmp.MMP_DOCUMENT_TYPE_CODES).toEqual({});
    expect(config.documents.DOCUMENT_MAX_BYTES).toBe(10 * 1024 * 1024);
  });

  it('names every missing or bad variable in one error', () => {
    const problems = problemsOf({
      MMP_API_URL: 'ftp://acme',
      HTTP_TIMEOUT_MS: 'soon',
      MMP_CARRIER_LOOKUP: 'yes',
      RETRY_WINDOW_MINUTES: '-5',
    });
    expect(problems).toEqual([
      'CONNECT_CLIENT_ID is required',
      'CONNECT_CLIENT_SECRET or CONNECT_CLIENT_SECRET_PARAM is required',
      'MMP_API_URL must be an http(s) URL',
      'MMP_CARRIER_LOOKUP must be true or false',
      'MMP_API_KEY or MMP_API_KEY_PARAM is required',
      'HTTP_TIMEOUT_MS must be a positive whole number',
      'IDEMPOTENCY_TABLE is required',
      'ORDER_ACTIONS_DLQ_URL is required',
      'RETRY_WINDOW_MINUTES must be a positive number',
      'DOCUMENTS_BUCKET is required',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(problemsOf({ ...minimal, CONNECT_CLIENT_ID: '  ' })).toEqual(['CONNECT_CLIENT_ID is required']);
  });

  it('takes SSM parameter names instead of secrets', () => {
    const { CONNECT_CLIENT_SECRET: _, MMP_API_KEY: __, ...rest } = minimal;
    const config = readOrderActionsConfig({
      ...rest,
      CONNECT_CLIENT_SECRET_PARAM: '/c/secret',
      MMP_API_KEY_PARAM: '/c/mmp',
    });
    expect(config.connect.CONNECT_CLIENT_SECRET_PARAM).toBe('/c/secret');
    expect(config.mmp.MMP_API_KEY_PARAM).toBe('/c/mmp');
  });

  it('reads the multi-store map and needs no single-store key then', () => {
    const { MMP_API_KEY: _, ...rest } = minimal;
    const config = readOrderActionsConfig({
      ...rest,
      MMP_STORES: JSON.stringify({ '2005': { shop_id: 2005, api_key: 'k1' }, '2006': { api_key_param: '/c/2006' } }),
    });
    expect(config.mmp.MMP_STORES).toEqual({
      '2005': { shop_id: '2005', api_key: 'k1' },
      '2006': { api_key_param: '/c/2006' },
    });
  });

  it('rejects a malformed store map without echoing it (it holds API keys)', () => {
    const problems = problemsOf({
      ...minimal,
      MMP_STORES: '{"2005": {"shop_id": 1, "api_key": "k1", "api_key_param": "/p"}, oops',
    });
    expect(problems).toEqual(['MMP_STORES must be valid JSON']);
    const both = problemsOf({
      ...minimal,
      MMP_STORES: JSON.stringify({ '2005': { api_key: 'k1', api_key_param: '/p' } }),
    });
    expect(both).toEqual(['MMP_STORES (at 2005) each store needs exactly one of api_key or api_key_param']);
    expect(both.join()).not.toContain('k1');
  });

  it('needs the document-archive queue when archiving after actions is on', () => {
    expect(problemsOf({ ...minimal, ARCHIVE_DOCUMENTS_AFTER: 'true' })).toEqual([
      'DOCUMENT_ARCHIVE_QUEUE_URL is required when ARCHIVE_DOCUMENTS_AFTER is true',
    ]);
  });
});
