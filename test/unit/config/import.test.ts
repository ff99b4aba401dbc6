import { describe, expect, it } from 'vitest';
import { type ConfigError, readOrderRefreshConfig, readOrderSyncConfig } from '../../../lib/config/index.js';
import { rateIntervalMs } from '../../../local/lambda/scheduler.js';

const contract = {
  CONNECT_CLIENT_ID: 'client',
  CONNECT_CLIENT_SECRET: 'secret',
  MMP_API_URL: 'https://acme.mirakl.net',
  MMP_API_KEY: 'key',
  IDEMPOTENCY_TABLE: 'table',
};

describe('orderSync and orderRefresh configuration', () => {
  it('starts with only the contract variables, every knob at its default', () => {
    const config = readOrderSyncConfig({ ...contract, CONNECT_CHANNEL_ID: '0024', MMP_STORE_ID: 'main_store' });
    expect(config.import).toEqual({ CONNECT_CHANNEL_ID: '0024', MMP_STORE_ID: 'main_store' });
    expect(config.orderSync).toEqual({
      ORDER_SYNC_OVERLAP_SECONDS: 120,
      ORDER_SYNC_FIRST_LOOKBACK_DAYS: 30,
      ORDER_SYNC_MIN_INTERVAL_SECONDS: 60,
      ORDER_SYNC_RETURNS_MIN_INTERVAL_SECONDS: 240,
      ORDER_SYNC_STOP_BEFORE_DEADLINE_SECONDS: 20,
    });
    expect(
      readOrderRefreshConfig({ ...contract, CONNECT_CHANNEL_ID: '0024', MMP_STORE_ID: 'main_store' }).orderRefresh,
    ).toEqual({});
  });

  it('names CONNECT_CHANNEL_ID, and MMP_STORE_ID in single-store mode', () => {
    const problems = () => {
      try {
        readOrderSyncConfig(contract);
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(problems()).toEqual([
      'CONNECT_CHANNEL_ID is required',
      'MMP_STORE_ID is required in single-store mode (without MMP_STORES): it is the channel_store_id the orders are imported into',
    ]);
  });

  it('takes the MMP_STORES keys as the stores in multi-store mode', () => {
    const env = {
      ...contract,
      MMP_API_KEY: undefined,
      CONNECT_CHANNEL_ID: '0024',
      MMP_STORES: JSON.stringify({ north: { shop_id: 1, api_key: 'k1' } }),
    };
    expect(readOrderRefreshConfig(env).import.MMP_STORE_ID).toBeUndefined();
  });
});

describe('local schedules', () => {
  it('runs rate expressions and leaves cron ones', () => {
    expect([
      rateIntervalMs('rate(5 minutes)'),
      rateIntervalMs('rate(1 hour)'),
      rateIntervalMs('cron(0 * * * ? *)'),
    ]).toEqual([300_000, 3_600_000, undefined]);
  });
});
