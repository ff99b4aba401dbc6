import type { SQSRecord } from 'aws-lambda';
import type { ConnectAction, PublishedEvent } from '../simulators/connect.js';

/** An order action followed from its publication by Connect to its final report. */
export interface TrackedAction {
  actionId: string;
  type: string;
  orderId: string;
  /** What its marketplace calls may name: its order, its return, its order lines. */
  subjects: string[];
  /** How many calls the marketplace had received when it was published: its calls come after. */
  callsBefore: number;
  /** Messages Connect published for it (more than one: duplicates). */
  copies: number;
  /** Times a function received it (more than copies: redeliveries). */
  deliveries: number;
  publishedAt: number;
  reportedAt?: number;
  /** How many calls the marketplace had received when it was reported: later ones (the refresh after it) are not its own. */
  callsAtReport?: number;
  status: ConnectAction['status'];
  errorCodes: string[];
}

/** Every order action published since start, by action id, in publication order. */
export class ActionTracker {
  private readonly actions = new Map<string, TrackedAction>();

  published(event: PublishedEvent, copies: number, callsBefore = 0): void {
    const actionId = event.data?.action_id;
    if (typeof actionId !== 'string') return;
    const known = this.actions.get(actionId);
    if (known) {
      known.copies += copies;
      return;
    }
    this.actions.set(actionId, {
      actionId,
      type: event.type,
      orderId: String(event.data?.channel_order_id ?? ''),
      subjects: subjectsOf(event.data ?? {}),
      callsBefore,
      copies,
      deliveries: 0,
      publishedAt: Date.now(),
      status: 'PENDING',
      errorCodes: [],
    });
  }

  delivered(records: SQSRecord[]): void {
    for (const record of records) {
      const action = this.actions.get(actionIdOf(record.body) ?? '');
      if (action) action.deliveries += 1;
    }
  }

  /** Returns the action, now final, or undefined when it was not published through the simulator. */
  reported(report: ConnectAction, callsAtReport?: number): TrackedAction | undefined {
    const action = this.actions.get(report.actionId);
    if (!action) return undefined;
    action.reportedAt = Date.now();
    action.callsAtReport = callsAtReport;
    action.status = report.status;
    action.errorCodes = (report.errors ?? []).map((error) => error.code);
    return action;
  }

  list(actionIds?: string[]): TrackedAction[] {
    const all = [...this.actions.values()];
    return actionIds ? all.filter((action) => actionIds.includes(action.actionId)) : all;
  }
}

/** The order, the return and the order lines an event names. */
const subjectsOf = (data: Record<string, unknown>): string[] => {
  const lines = ['order_lines', 'items', 'cancelations', 'refunds'].flatMap((key) =>
    Array.isArray(data[key])
      ? (data[key] as Array<{ channel_order_line_id?: unknown; order_line_id?: unknown }>).map(
          (line) => line.channel_order_line_id ?? line.order_line_id,
        )
      : [],
  );
  return [data.channel_order_id, data.channel_return_id, ...lines].filter(
    (subject): subject is string => typeof subject === 'string' && subject !== '',
  );
};

const actionIdOf = (body: string): string | undefined => {
  try {
    const actionId = (JSON.parse(body) as { data?: { action_id?: unknown } } | null)?.data?.action_id;
    return typeof actionId === 'string' ? actionId : undefined;
  } catch {
    return undefined;
  }
};
