import type { AnonymizeAfterOrder } from '../connect/index.js';
import { validateUpdate } from './message.js';
import type { DateRules } from './rules.js';

export interface CsvProblem {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
}

export interface CsvUpdates {
  updates: Array<{ line: number; order: AnonymizeAfterOrder }>;
  /** Every bad row of the file; when there is one, nothing should be sent. */
  problems: CsvProblem[];
}

const COLUMNS = ['channel_id', 'channel_order_id', 'sub_channel_code', 'anonymize_after'];
const REQUIRED_COLUMNS = ['channel_id', 'channel_order_id', 'anonymize_after'];

/**
 * A bulk file of updates: a header naming the columns (any order; `sub_channel_code` optional), then one
 * order per line. Every row is checked as the function will check it, and an order may appear only once.
 */
export const readUpdatesCsv = (text: string, now: number, rules: DateRules): CsvUpdates => {
  const [headerLine = '', ...rows] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(headerLine) ?? [];
  const headerProblems = [
    ...header.filter((column) => !COLUMNS.includes(column)).map((column) => `unknown column "${column}"`),
    ...REQUIRED_COLUMNS.filter((column) => !header.includes(column)).map((column) => `missing column ${column}`),
  ];
  if (headerProblems.length > 0) {
    const reason = `${headerProblems.join('; ')} (the header must name ${COLUMNS.join(', ')}, separated by commas)`;
    return { updates: [], problems: [{ line: 1, reason }] };
  }

  const updates: CsvUpdates['updates'] = [];
  const problems: CsvProblem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const line = index + 2;
    if (row.trim() === '') return;
    const cells = splitCsvLine(row);
    if (cells?.length !== header.length) {
      problems.push({
        line,
        reason: cells ? `has ${cells.length} cells, the header ${header.length}` : 'has an unterminated quote',
      });
      return;
    }
    const fields = Object.fromEntries(
      header.map((column, at) => [column, cells[at]]).filter(([, value]) => value !== ''),
    );
    const read = validateUpdate(fields, { now, sentAt: now }, rules);
    if (read.kind === 'invalid') {
      problems.push({ line, reason: read.reason });
      return;
    }
    const key = JSON.stringify([read.order.channel_id, read.order.channel_order_id]);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push({
        line,
        reason: `order ${read.order.channel_order_id} of channel ${read.order.channel_id} is already on line ${earlier}`,
      });
      return;
    }
    seen.set(key, line);
    updates.push({ line, order: read.order });
  });
  return { updates, problems };
};

/** One line of RFC 4180 CSV (quoted cells may hold commas and doubled quotes), cells trimmed; undefined if a quote is left open. */
const splitCsvLine = (line: string): string[] | undefined => {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let at = 0; at < line.length; at += 1) {
    const char = line[at];
    if (quoted && char === '"' && line[at + 1] === '"') {
      cell += '"';
      at += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += char;
    }
  }
  cells.push(cell.trim());
  return quoted ? undefined : cells;
};
