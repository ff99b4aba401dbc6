import * as z from 'zod';
import { AnonymizeAfterOrder, describeInvalid } from '../connect/index.js';
import { tooEarly, type DateRules } from './rules.js';

/**
 * A message of the anonymization queue (ARCHITECTURE.md): Connect's item, with a real date-time.
 * Unknown fields are dropped, so only the spec's fields reach Connect.
 */
const AnonymizationMessage = AnonymizeAfterOrder.extend({
  anonymize_after: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2031-01-01T00:00:00Z' })
    // Sent as Connect writes it (YYYY-MM-DDTHH:mm:ssZ), rounded up to the second so it is never earlier than asked.
    .transform((value) => new Date(Math.ceil(Date.parse(value) / 1000) * 1000).toISOString().replace('.000Z', 'Z')),
});

/** The ids a log line about an update carries (never the rest of the message). */
export interface OrderIds {
  channel_id?: string;
  channel_order_id?: string;
}

export type ReadUpdate =
  | { kind: 'valid'; order: AnonymizeAfterOrder; anonymizeAfter: number; ids: OrderIds }
  | { kind: 'invalid'; reason: string; ids: OrderIds };

/** Checks one update (a parsed message or a CSV row) against the schema and the date rules. */
export const validateUpdate = (value: unknown, at: { now: number; sentAt: number }, rules: DateRules): ReadUpdate => {
  const ids = idsOf(value);
  const parsed = AnonymizationMessage.safeParse(value);
  if (!parsed.success) return { kind: 'invalid', reason: describeInvalid(parsed.error), ids };
  const anonymizeAfter = Date.parse(parsed.data.anonymize_after);
  const reason = tooEarly(anonymizeAfter, at, rules);
  return reason ? { kind: 'invalid', reason, ids } : { kind: 'valid', order: parsed.data, anonymizeAfter, ids };
};

/** Reads a queue message body. */
export const readUpdateMessage = (body: string, at: { now: number; sentAt: number }, rules: DateRules): ReadUpdate => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'invalid', reason: 'message body is not JSON', ids: {} };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { kind: 'invalid', reason: 'message body is not a JSON object', ids: {} };
  return validateUpdate(json, at, rules);
};

const idsOf = (value: unknown): OrderIds => {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const text = (field: unknown) => (typeof field === 'string' ? field : undefined);
  return { channel_id: text(record.channel_id), channel_order_id: text(record.channel_order_id) };
};
