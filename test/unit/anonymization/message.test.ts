import { describe, expect, it } from 'vitest';
import { readUpdateMessage, tooEarly, validateUpdate, type DateRules } from '../../../lib/anonymization/index.js';

const DAY = 86_400_000;
const now = Date.parse('2026-07-07T10:00:00Z');
const rules: DateRules = { minRetentionMs: 30 * DAY, safetyMarginMs: 15 * 60_000 };
const at = { now, sentAt: now };
const message = { channel_id: '0024', channel_order_id: 'MKP-1-A', anonymize_after: '2029-07-07T00:00:00Z' };

describe('validateUpdate', () => {
  it('keeps the spec fields only and writes the date as Connect does', () => {
    const read = validateUpdate(
      {
        ...message,
        sub_channel_code: 'FR',
        channel_store_id: '2005',
        anonymize_after: '2029-07-07T02:00:00.250+02:00',
      },
      at,
      rules,
    );
    expect(read).toEqual({
      kind: 'valid',
      order: {
        channel_id: '0024',
        channel_order_id: 'MKP-1-A',
        sub_channel_code: 'FR',
        anonymize_after: '2029-07-07T00:00:01Z',
      },
      anonymizeAfter: Date.parse('2029-07-07T00:00:01Z'),
      ids: { channel_id: '0024', channel_order_id: 'MKP-1-A' },
    });
  });

  it.each([
    [{ ...message, channel_order_id: undefined }, 'channel_order_id is required'],
    [{ ...message, channel_id: 24 }, 'channel_id Invalid input: expected string, received number'],
    [{ ...message, channel_order_id: '  ' }, 'channel_order_id Too small: expected string to have >=1 characters'],
    [
      { ...message, anonymize_after: '2029-07-07' },
      'anonymize_after must be an ISO 8601 date-time with a time zone, e.g. 2031-01-01T00:00:00Z',
    ],
    [
      { ...message, anonymize_after: '2029-07-07T00:00:00' },
      'anonymize_after must be an ISO 8601 date-time with a time zone, e.g. 2031-01-01T00:00:00Z',
    ],
    [{ ...message, anonymize_after: '2026-07-06T00:00:00Z' }, 'anonymize_after is in the past'],
    [
      { ...message, anonymize_after: '2026-07-07T10:10:00Z' },
      'anonymize_after is less than 15 minutes ahead (safety margin)',
    ],
    [
      { ...message, anonymize_after: '2026-07-08T00:00:00Z' },
      'anonymize_after is less than 30 days after the update was sent (minimum retention)',
    ],
  ])('refuses %j: %s', (value, reason) => {
    expect(validateUpdate(value, at, rules)).toMatchObject({ kind: 'invalid', reason });
  });

  it('measures the minimum retention from the send, and the safety margin from now', () => {
    const sentAt = now - 29 * DAY;
    expect(validateUpdate({ ...message, anonymize_after: '2026-08-07T10:00:00Z' }, { now, sentAt }, rules).kind).toBe(
      'valid',
    );
    expect(tooEarly(now + 14 * 60_000, { now, sentAt: now - 60 * DAY }, rules)).toMatch(/safety margin/);
    expect(tooEarly(now + DAY, at, { minRetentionMs: 0, safetyMarginMs: 60_000 })).toBeUndefined();
  });
});

describe('readUpdateMessage', () => {
  it('names the ids it could read, and why the message is refused', () => {
    expect(readUpdateMessage('{"channel_id": "0024", "chan', at, rules)).toEqual({
      kind: 'invalid',
      reason: 'message body is not JSON',
      ids: {},
    });
    expect(readUpdateMessage(JSON.stringify({ ...message, anonymize_after: 'soon' }), at, rules)).toMatchObject({
      kind: 'invalid',
      ids: { channel_id: '0024', channel_order_id: 'MKP-1-A' },
    });
    expect(readUpdateMessage('[1]', at, rules)).toEqual({
      kind: 'invalid',
      reason: 'message body is not a JSON object',
      ids: {},
    });
  });
});
