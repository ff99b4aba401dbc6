import { describe, expect, it } from 'vitest';
import { readUpdatesCsv, type DateRules } from '../../../lib/anonymization/index.js';

const now = Date.parse('2026-07-07T10:00:00Z');
const rules: DateRules = { minRetentionMs: 30 * 86_400_000, safetyMarginMs: 15 * 60_000 };
const read = (lines: string[], eol = '\n') => readUpdatesCsv(lines.join(eol), now, rules);

describe('readUpdatesCsv', () => {
  it('reads columns by name, quoted cells, CRLF, a BOM and blank lines', () => {
    const { updates, problems } = read(
      [
        '\uFEFFanonymize_after, channel_id ,channel_order_id,sub_channel_code',
        '2029-07-07T00:00:00Z,0024,"MKP-1,A",FR',
        '',
        '2029-07-08T00:00:00+02:00,0024,"MKP ""2""",',
        '',
      ],
      '\r\n',
    );
    expect(problems).toEqual([]);
    expect(updates).toEqual([
      {
        line: 2,
        order: {
          channel_id: '0024',
          channel_order_id: 'MKP-1,A',
          sub_channel_code: 'FR',
          anonymize_after: '2029-07-07T00:00:00Z',
        },
      },
      { line: 4, order: { channel_id: '0024', channel_order_id: 'MKP "2"', anonymize_after: '2029-07-07T22:00:00Z' } },
    ]);
  });

  it('reports every bad row by line number', () => {
    const { problems } = read([
      'channel_id,channel_order_id,anonymize_after',
      '0024,MKP-1,2029-07-07T00:00:00Z',
      '0024,MKP-2,2026-07-08T00:00:00Z',
      '0024,MKP-3',
      '0024,"MKP-4,2029-07-07T00:00:00Z',
      '0024,MKP-1,2030-07-07T00:00:00Z',
      ',MKP-5,2029-07-07T00:00:00Z',
    ]);
    expect(problems).toEqual([
      { line: 3, reason: 'anonymize_after is less than 30 days after the update was sent (minimum retention)' },
      { line: 4, reason: 'has 2 cells, the header 3' },
      { line: 5, reason: 'has an unterminated quote' },
      { line: 6, reason: 'order MKP-1 of channel 0024 is already on line 2' },
      { line: 7, reason: 'channel_id is required' },
    ]);
  });

  it('refuses a header that does not name the columns', () => {
    expect(read(['channel_id;channel_order_id;anonymize_after', '0024;MKP-1;2029-07-07T00:00:00Z']).problems).toEqual([
      {
        line: 1,
        reason:
          'unknown column "channel_id;channel_order_id;anonymize_after"; missing column channel_id; missing column channel_order_id; missing column anonymize_after ' +
          '(the header must name channel_id, channel_order_id, sub_channel_code, anonymize_after, separated by commas)',
      },
    ]);
  });
});
