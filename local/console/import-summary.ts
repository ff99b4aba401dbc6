import type { EchoVerdict } from '../cli/echo-check.js';
import type { ImportStory, TimelineEntry } from '../cli/import-story.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `AWAITING_ACCEPTANCE 5.2 s → seller ACCEPT → AWAITING_SHIPMENT 7.9 s`: times from the orders' placement. */
export const formatTimeline = (timeline: TimelineEntry[]): string =>
  timeline
    .map((entry) => {
      if (entry.kind === 'status') return `${entry.status} ${seconds(entry.at)}`;
      if (entry.kind === 'seller') return `seller ${entry.action}`;
      if (entry.kind === 'operator') return entry.what;
      return `${entry.type} ${entry.filename} ${seconds(entry.at)}`;
    })
    .join(' → ') || 'not in Connect';

/** What the demo shows of invariant 18, in a sentence (see `echoShown`). */
export const formatEcho = (verdict: EchoVerdict | undefined, lastAttachActionId: string): string => {
  if (!verdict) return `No echo: not shown (no orderRefresh ran after ${lastAttachActionId} was reported)`;
  const files = `${verdict.attached.length} file(s) attached by UPLOAD_DOCUMENT (${verdict.attached.join(', ')})`;
  if (!verdict.readBack)
    return `No echo: not shown: ${verdict.orderId} has ${files}, but the import did not list its documents (OR72) after them`;
  if (verdict.echoed.length > 0)
    return `Echo! ${verdict.orderId}: ${verdict.echoed.join(', ')} uploaded back to Connect by the import`;
  return `No echo: ${verdict.orderId} has ${files} on the marketplace; the import listed them (OR72) and uploaded none back to Connect`;
};

/**
 * The import's side of the summary: for each order of the story (and the followed ones), the statuses Connect held
 * in turn, with what the seller and the operator did in between.
 */
export const formatImportSummary = (story: ImportStory, heldOrders: number): string => {
  const rows = [
    ...story.orders.map(({ order }) => [
      order.order_id,
      `placed ${order.order_state}`,
      formatTimeline(story.timelineOf(order.order_id)),
    ]),
    ...[...story.followed].map(([orderId, what]) => [orderId, what, formatTimeline(story.timelineOf(orderId))]),
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return [
    ...rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd()),
    `  Connect holds ${heldOrders} orders imported from the marketplace`,
  ].join('\n');
};
