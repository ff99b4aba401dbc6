import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ActionPayloads } from '../../../../lib/connect/index.js';
import { createOrderActionEventValidator } from '../../../../local/cli/event-schema.js';
import { SAMPLE_ORDERS, SAMPLE_RETURNS } from '../../../../local/cli/marketplace.js';

const EVENTS_DIR = new URL('../../../../local/events/', import.meta.url);
const samples = readdirSync(EVENTS_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    file,
    event: JSON.parse(readFileSync(new URL(file, EVENTS_DIR), 'utf8')) as {
      type: string;
      data: Record<string, unknown>;
    },
  }));
const validate = createOrderActionEventValidator();

/** Every order line id an event names, wherever the vendor puts it. */
const lineIdsOf = (data: Record<string, unknown>): string[] =>
  ['order_lines', 'items', 'cancelations', 'refunds'].flatMap((key) =>
    ((data[key] as Array<{ channel_order_line_id?: string }> | undefined) ?? []).map(
      (line) => line.channel_order_line_id ?? '',
    ),
  );

describe('local/events: the samples for npm run send-event', () => {
  it('holds one sample per action type', () => {
    expect(samples.map(({ event }) => event.type).sort()).toEqual(Object.keys(ActionPayloads).sort());
  });

  it.each(samples)('$file follows the vendor event schema', ({ event }) => {
    expect(validate(event)).toEqual([]);
  });

  it.each(samples)('$file acts on an order (its lines, its return) of the local marketplace', ({ event }) => {
    const order = SAMPLE_ORDERS.find((candidate) => candidate.order_id === event.data.channel_order_id);
    expect(order).toBeDefined();
    const lines = order?.order_lines.map((line) => line.order_line_id) ?? [];
    for (const lineId of lineIdsOf(event.data)) expect(lines).toContain(lineId);
    const returnId = event.data.channel_return_id;
    if (returnId !== undefined)
      expect(SAMPLE_RETURNS).toContainEqual(expect.objectContaining({ id: returnId, order_id: order?.order_id }));
  });

  it('links its document to a file of local/events/documents/, which send-event uploads first', () => {
    const upload = samples.find(({ event }) => event.type === 'UPLOAD_DOCUMENT');
    const link = new URL(String(upload?.event.data.document_download_url));
    expect(link.pathname).toMatch(/^\/local\/events\/documents\/[^/]+$/);
    expect(readdirSync(new URL('documents/', EVENTS_DIR))).toContain(link.pathname.split('/').at(-1));
  });

  it('has distinct action ids, so each sample is its own action', () => {
    const ids = samples.map(({ event }) => event.data.action_id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the event check of send-event', () => {
  it('names every field that breaks the schema of the envelope and of the payload of its type', () => {
    const event = {
      id: '01X',
      type: 'CREATE_SHIPMENT',
      time: 'yesterday',
      data: { action_id: 7, channel_id: 'c', channel_order_id: 'o', channel_store_id: 's' },
    };

    expect(validate(event)).toEqual([
      '/time must match format "date-time"',
      '/data/carrier is required',
      '/data/action_id must be string',
    ]);
  });

  it('lists the action types when the type is unknown, and asks for data', () => {
    expect(validate({ id: '01X', type: 'SHIP', time: '2024-05-20T10:15:30Z' })).toEqual([
      expect.stringMatching(/^\/type must be equal to one of the allowed values: .*CREATE_SHIPMENT/),
      '/data is required: the payload of the action',
    ]);
    expect(validate([])).toEqual(['/ must be a JSON object (an OrderActionEvent)']);
  });
});
