import type { SQSRecord } from 'aws-lambda';
import type { ConnectAction, PublishedEvent } from '../simulators/connect.js';

/** An order action followed from its publication by Connect to its final report. */
export interface TrackedAction {
  actionId: string;
  type: string;
  orderId: string;
  /** Messages Connect published for it (more than one: duplicates). */
  copies: number;
  /** Times a function received it (more than copies: redeliveries). */
  deliveries: number;
  publishedAt: number;
  reportedAt?: number;
  status: ConnectAction['status'];
  errorCodes: string[];
}

/** Every order action published since start, by action id, in publication order. */
export class ActionLedger {
  private readonly actions = new Map<string, TrackedAction>();

  published(event: PublishedEvent, copies: number): void {
    const actionId = event.data?.['action_id'];
    if (typeof actionId !== 'string') return;
    const known = this.actions.get(actionId);
    if (known) {
      known.copies += copies;
      return;
    }
    this.actions.set(actionId, {
      actionId,
      type: event.type,
      orderId: String(event.data?.['channel_order_id'] ?? ''),
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
  reported(report: ConnectAction): TrackedAction | undefined {
    const action = this.actions.get(report.actionId);
    if (!action) return undefined;
    action.reportedAt = Date.now();
    action.status = report.status;
    action.errorCodes = (report.errors ?? []).map((error) => error.code);
    return action;
  }

  list(actionIds?: string[]): TrackedAction[] {
    const all = [...this.actions.values()];
    return actionIds ? all.filter((action) => actionIds.includes(action.actionId)) : all;
  }
}

const actionIdOf = (body: string): string | undefined => {
  try {
    const actionId = (JSON.parse(body) as { data?: { action_id?: unknown } } | null)?.data?.action_id;
    return typeof actionId === 'string' ? actionId : undefined;
  } catch {
    return undefined;
  }
};
