import * as z from 'zod';

/** The fields of `UpdateActionRequest` the simulator keeps, once the spec validator has accepted the body. */
export const ActionReportSchema = z.object({
  status: z.enum(['SUCCESS', 'FAILED']),
  errors: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
});
export type ActionReport = z.infer<typeof ActionReportSchema>;

export interface ConnectAction {
  actionId: string;
  status: 'PENDING' | ActionReport['status'];
  errors?: ActionReport['errors'];
  /** Well-formed reports received for this action, including those refused because it was already final. */
  reports: number;
}

/** The order actions Connect is waiting to hear about. */
export class ConnectActionBook {
  private readonly actions = new Map<string, ConnectAction>();

  register(actionId: string): void {
    if (!this.actions.has(actionId)) this.actions.set(actionId, { actionId, status: 'PENDING', reports: 0 });
  }

  report(actionId: string, report: ActionReport): 'unknown' | 'alreadyFinal' | 'updated' {
    const action = this.actions.get(actionId);
    if (!action) return 'unknown';
    action.reports += 1;
    if (action.status !== 'PENDING') return 'alreadyFinal';
    action.status = report.status;
    if (report.errors) action.errors = report.errors;
    return 'updated';
  }

  get(actionId: string): ConnectAction | undefined {
    const action = this.actions.get(actionId);
    return action && structuredClone(action);
  }

  list(): ConnectAction[] {
    return structuredClone([...this.actions.values()]);
  }

  clear(): void {
    this.actions.clear();
  }
}
