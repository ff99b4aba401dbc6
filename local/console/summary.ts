import type { MmpRequest } from '../simulators/mmp.js';
import type { TrackedAction } from './action-tracker.js';

/** The calls that name an order, a return or a line: in their path, a query parameter or the JSON body. */
const mentions = (request: MmpRequest, subject: string): boolean =>
  request.path.includes(`/orders/${encodeURIComponent(subject)}/`) ||
  Object.values(request.query).some((value) => value.split(',').includes(subject)) ||
  JSON.stringify(request.body ?? null).includes(JSON.stringify(subject));

/**
 * The import's reads (orderSync, orderRefresh after each report): OR11 tax-excluded and RT11 by order lines, which the
 * actions never send; OR73 (no action downloads a document); OR72 but for an UPLOAD_DOCUMENT, and even then when it
 * names several orders. They bring orders and their documents into Connect; they are not calls of the action.
 */
const isImportRead = (request: MmpRequest, action: TrackedAction): boolean =>
  (request.route === 'OR11' && request.query.order_tax_mode !== undefined) ||
  (request.route === 'RT11' && request.query.order_line_id !== undefined) ||
  request.route === 'OR73' ||
  (request.route === 'OR72' && (action.type !== 'UPLOAD_DOCUMENT' || (request.query.order_ids ?? '').includes(',')));

/**
 * An UPLOAD_DOCUMENT lists its order's documents (OR72), then attaches the file (OR74) or stops: its own OR72 that
 * answered is never followed by another. One that is was the import's (the orderRefresh of the order's previous
 * action), which names the one order as the action does.
 */
const withoutImportListings = (requests: MmpRequest[]): MmpRequest[] =>
  requests.filter(
    (request, index) => !(request.route === 'OR72' && request.status < 300 && requests[index + 1]?.route === 'OR72'),
  );

/**
 * The marketplace calls of one action: those naming its order, its return or its lines, made from its publication
 * until the next action on the same order was published (the demo publishes an order's actions one after another)
 * or it was reported, the import's reads left out.
 */
export const callsOf = (action: TrackedAction, actions: TrackedAction[], requests: MmpRequest[]): string => {
  const next = actions.find((other) => other.orderId === action.orderId && other.callsBefore > action.callsBefore);
  const window = requests.slice(
    action.callsBefore,
    Math.min(next?.callsBefore ?? requests.length, action.callsAtReport ?? requests.length),
  );
  const named = window.filter(
    (request) => !isImportRead(request, action) && action.subjects.some((subject) => mentions(request, subject)),
  );
  return describeCalls(withoutImportListings(named));
};

/** Calls in order, with the status of those that failed, repeats folded: `OR11 · OR24 503 ×4 · OR24`. */
const describeCalls = (requests: MmpRequest[]): string => {
  const calls = requests.map((request) =>
    request.status < 300 ? request.route : `${request.route} ${request.status}`,
  );
  const folded: Array<{ call: string; times: number }> = [];
  for (const call of calls) {
    const last = folded.at(-1);
    if (last?.call === call) last.times += 1;
    else folded.push({ call, times: 1 });
  }
  return folded.map(({ call, times }) => (times > 1 ? `${call} ×${times}` : call)).join(' · ') || '-';
};

export const outcomeOf = (action: TrackedAction): string => [action.status, ...action.errorCodes].join(' ');

export const elapsedOf = (action: TrackedAction): string =>
  action.reportedAt === undefined ? '-' : `${((action.reportedAt - action.publishedAt) / 1000).toFixed(1)} s`;

/** One row per action: what it was, what the marketplace saw, what Connect was told, and how long it took. */
export const formatSummary = (
  actions: TrackedAction[],
  requests: MmpRequest[],
  stories: ReadonlyMap<string, string> = new Map(),
  all: TrackedAction[] = actions,
): string => {
  const rows = actions.map((action) => [
    action.type,
    action.orderId,
    ...(stories.size > 0 ? [stories.get(action.actionId) ?? ''] : []),
    `${action.deliveries}`,
    callsOf(action, all, requests),
    outcomeOf(action),
    elapsedOf(action),
  ]);
  const headers = [
    'Action',
    'Order',
    ...(stories.size > 0 ? ['Scenario'] : []),
    'Received',
    'Calls to MMP',
    'Reported',
    'Time',
  ];
  return formatTable(headers, rows);
};

const formatTable = (headers: string[], rows: string[][]): string => {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
};
