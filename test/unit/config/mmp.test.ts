import { describe, expect, it } from 'vitest';
import { ConfigError, readOrderActionsConfig } from '../../../lib/config/index.js';

const minimal = {
  CONNECT_CLIENT_ID: 'client',
  CONNECT_CLIENT_SECRET: 'secret',
  MMP_API_URL: 'https://acme.mirakl.net',
  MMP_API_KEY: 'key',
  ORDER_ACTIONS_DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq',
  IDEMPOTENCY_TABLE: 'idempotency',
  DOCUMENTS_BUCKET: 'archive',
};

describe("the marketplace's rules (lib/config/mmp.ts)", () => {
  it('default to no reason codes, the two obvious rejection reasons, and no multi-shipment', () => {
    const { mmp } = readOrderActionsConfig(minimal);
    expect(mmp.MMP_CANCELATION_REASON_CODES).toEqual({});
    expect(mmp.MMP_REFUND_REASON_CODES).toEqual({});
    expect(mmp.MMP_RETURN_REJECTION_REASONS).toEqual({
      RETURN_WINDOW_CLOSED: 'RETURN_REJECTION_WINDOW_CLOSED',
      NOT_ELIGIBLE_FOR_RETURN: 'RETURN_REJECTION_NOT_ELIGIBLE',
    });
    expect(mmp.MMP_MULTI_SHIPMENT).toBe(false);
  });

  it('read the JSON maps, the configured rejection reasons over the defaults', () => {
    const { mmp } = readOrderActionsConfig({
      ...minimal,
      MMP_CANCELATION_REASON_CODES: '{"OUT_OF_STOCK":"34"}',
      MMP_REFUND_REASON_CODES: '{"RETURN":"19"}',
      MMP_RETURN_REJECTION_REASONS:
        '{"FINAL_SALES":"RETURN_REJECTION_NOT_ELIGIBLE","RETURN_WINDOW_CLOSED":"RETURN_REJECTION_NOT_NEEDED"}',
      MMP_MULTI_SHIPMENT: 'true',
    });
    expect(mmp.MMP_CANCELATION_REASON_CODES).toEqual({ OUT_OF_STOCK: '34' });
    expect(mmp.MMP_REFUND_REASON_CODES).toEqual({ RETURN: '19' });
    expect(mmp.MMP_RETURN_REJECTION_REASONS).toEqual({
      RETURN_WINDOW_CLOSED: 'RETURN_REJECTION_NOT_NEEDED',
      NOT_ELIGIBLE_FOR_RETURN: 'RETURN_REJECTION_NOT_ELIGIBLE',
      FINAL_SALES: 'RETURN_REJECTION_NOT_ELIGIBLE',
    });
    expect(mmp.MMP_MULTI_SHIPMENT).toBe(true);
  });

  it('refuse a rejection code MMP does not have, and a map that is not JSON, naming the variable', () => {
    const problems = (() => {
      try {
        readOrderActionsConfig({
          ...minimal,
          MMP_RETURN_REJECTION_REASONS: '{"OTHER":"NOPE"}',
          MMP_REFUND_REASON_CODES: '{oops',
        });
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      expect.stringMatching(/^MMP_REFUND_REASON_CODES must be valid JSON/),
      expect.stringMatching(/^MMP_RETURN_REJECTION_REASONS \(at OTHER\)/),
    ]);
  });
});
