import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { SimulatorReply } from './http-server.js';

export const FaultSchema = z.object({
  /** The error status to answer with; omit it to only add latency or drop the connection. */
  status: z.number().int().min(400).max(599).optional(),
  /** How many calls on the route this fault applies to. */
  times: z.number().int().positive(),
  /** Sent as the `Retry-After` header (seconds) with the error status. */
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  /** Waits this long before answering (or applying, or failing). */
  latencyMs: z.number().int().nonnegative().optional(),
  /** Carries the call out, then destroys the socket without answering: a lost response. */
  dropConnectionAfterApplying: z.boolean().optional(),
});
export type Fault = z.infer<typeof FaultSchema>;

/** A fault plus the route it applies to, as `injectFault()` and `POST /_sim/faults` take it. */
export function routedFaultSchema<const Routes extends readonly [string, ...string[]]>(routes: Routes) {
  return FaultSchema.extend({ route: z.enum(routes) });
}

/** Faults waiting for calls on each route, applied first in, first out. */
export class FaultBook<Route extends string> {
  private readonly pending: Array<{ route: Route; fault: Fault; left: number }> = [];

  inject(fault: Fault & { route: Route }): void {
    this.pending.push({ route: fault.route, fault, left: fault.times });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** Runs one call on `route` through the next pending fault, if any. */
  async apply(
    route: Route,
    errorBody: (status: number) => unknown,
    call: () => Promise<SimulatorReply>,
  ): Promise<{ reply: SimulatorReply; dropConnection: boolean }> {
    const fault = this.take(route);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.status === undefined || fault.dropConnectionAfterApplying) {
      return { reply: await call(), dropConnection: fault?.dropConnectionAfterApplying === true };
    }
    const headers: Record<string, string> =
      fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    return { reply: { status: fault.status, body: errorBody(fault.status), headers }, dropConnection: false };
  }

  private take(route: Route): Fault | undefined {
    const entry = this.pending.find((candidate) => candidate.route === route);
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left === 0) this.pending.splice(this.pending.indexOf(entry), 1);
    return entry.fault;
  }
}
