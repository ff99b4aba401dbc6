import { describe, expect, it } from 'vitest';
import { dateRulesFrom } from '../../../lib/anonymization/index.js';
import { ConfigError, readAnonymizationConfig, readAnonymizationProducerConfig } from '../../../lib/config/index.js';

const minimal = { CONNECT_CLIENT_ID: 'client', CONNECT_CLIENT_SECRET_PARAM: '/c/secret' };

describe('readAnonymizationConfig', () => {
  it('starts with the Connect credentials only, and fills the documented defaults', () => {
    const config = readAnonymizationConfig(minimal);
    expect(config.anonymization.ANONYMIZATION_DLQ_URL).toBeUndefined();
    expect(config.rules).toEqual({ ANONYMIZATION_MIN_RETENTION_DAYS: 30, ANONYMIZATION_SAFETY_MARGIN_MINUTES: 15 });
    expect(dateRulesFrom(config.rules)).toEqual({ minRetentionMs: 30 * 86_400_000, safetyMarginMs: 15 * 60_000 });
  });

  it('takes 0 days of minimum retention, not a negative or fractional one', () => {
    expect(
      readAnonymizationConfig({ ...minimal, ANONYMIZATION_MIN_RETENTION_DAYS: '0' }).rules
        .ANONYMIZATION_MIN_RETENTION_DAYS,
    ).toBe(0);
    expect(() =>
      readAnonymizationConfig({
        ...minimal,
        ANONYMIZATION_MIN_RETENTION_DAYS: '-1',
        ANONYMIZATION_SAFETY_MARGIN_MINUTES: '0.5',
      }),
    ).toThrow(
      new ConfigError([
        'ANONYMIZATION_MIN_RETENTION_DAYS must be a whole number of days, 0 or more',
        'ANONYMIZATION_SAFETY_MARGIN_MINUTES must be a positive whole number',
      ]),
    );
  });

  it('needs no marketplace variables', () => {
    expect(() => readAnonymizationConfig({})).toThrow(
      'CONNECT_CLIENT_ID is required; CONNECT_CLIENT_SECRET or CONNECT_CLIENT_SECRET_PARAM is required',
    );
  });
});

describe('readAnonymizationProducerConfig', () => {
  it('reads the queue URL and the same date rules', () => {
    const config = readAnonymizationProducerConfig({
      ANONYMIZATION_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q',
      ANONYMIZATION_MIN_RETENTION_DAYS: '365',
    });
    expect(config.producer.ANONYMIZATION_QUEUE_URL).toBe('https://sqs.eu-west-1.amazonaws.com/1/q');
    expect(config.rules.ANONYMIZATION_MIN_RETENTION_DAYS).toBe(365);
  });
});
