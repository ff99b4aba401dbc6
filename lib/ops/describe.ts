import { readMessage } from '../actions/index.js';
import type { ActionHistory } from '../ledger/index.js';
import { describeOutcome, type ReplayResult } from './replay.js';

/** `2h05m`, `3d4h`: how long ago. */
export const age = (since: Date, now = Date.now()): string => {
  const seconds = Math.max(0, Math.round((now - since.getTime()) / 1000));
  const [days, hours, minutes] = [
    Math.floor(seconds / 86_400),
    Math.floor(seconds / 3600) % 24,
    Math.floor(seconds / 60) % 60,
  ];
  if (days > 0) return `${days}d${hours}h`;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
};

/** The ids of an event, never its body. */
export const describeEvent = (body: string): string => {
  const { ids } = readMessage(body);
  const order = ids.channel_order_id ? `${ids.store ?? '?'}#${ids.channel_order_id}` : '-';
  return `action ${ids.action_id ?? '-'}  ${ids.type ?? '-'}  order ${order}`;
};

export const describeReplay = (result: ReplayResult, subject: string): { line: string; done: boolean } => {
  switch (result.kind) {
    case 'skipped':
      return { line: `Left ${subject}: ${result.reason}.`, done: false };
    case 'refused':
      return {
        line: `Refused ${subject}, action ${result.actionId} (order ${result.orderKey}): ${result.reason}.${result.forcible ? ' --force replays it anyway.' : ''}`,
        done: false,
      };
    case 'sent': {
      const lines = [
        `Replayed ${subject}: action ${result.actionId} (order ${result.orderKey}) is on the events queue.`,
      ];
      if (result.cleared) {
        const outcome = result.cleared.record?.outcome ? ` ${describeOutcome(result.cleared.record.outcome)}` : '';
        lines.push(
          `  --force: deleted its recorded outcome${outcome}${result.cleared.order?.reported ? ' and its mark as reported' : ''}: the marketplace will be acted on again,`,
          `  and Connect keeps the status it was given (it refuses the new report as ACTION_ALREADY_FINAL).`,
        );
      } else if (result.recorded?.outcome) {
        lines.push(
          `  Its recorded outcome (${describeOutcome(result.recorded.outcome)}) will be reported as it is; the marketplace is not called again (--force to act anew).`,
        );
      }
      return { line: lines.join('\n'), done: true };
    }
  }
};

export const describeHistory = (actionId: string, history: ActionHistory, orderKey: string | undefined): string => {
  const { record, order, intent } = history;
  const recorded = record
    ? `${record.status}${record.outcome ? `, outcome ${describeOutcome(record.outcome)}` : ''}` +
      `${record.status === 'INPROGRESS' && record.inProgressUntil ? `, held until ${record.inProgressUntil.toISOString()}` : ''}` +
      `${record.expiresAt ? ` (kept until ${record.expiresAt.toISOString()})` : ''}`
    : 'none: never carried out, or more than 15 days ago';
  const reported = order
    ? `${order.reported ? 'reported final to Connect' : 'not reported yet'}; order ${order.key} ${order.leasedUntil ? `leased until ${order.leasedUntil.toISOString()}` : 'not leased'}`
    : orderKey
      ? `not reported: order ${orderKey} has no item (no action on it in 15 days)`
      : 'not reported (no order notes it; give --store and --order to see the order lease)';
  return [
    `Action ${actionId}`,
    `  record:  ${recorded}`,
    `  report:  ${reported}`,
    `  intent:  ${intent ? JSON.stringify(intent) : 'none'}`,
  ].join('\n');
};
