import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
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
export class FaultBook<Routed extends Fault & { route: string }> {
  private readonly pending: Array<{ fault: Routed; left: number }> = [];

  inject(fault: Routed): void {
    this.pending.push({ fault, left: fault.times });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** Runs one call on `route` through the next pending fault on it that `concerns` this call, if any. */
  async apply(
    route: Routed['route'],
    errorBody: (status: number) => unknown,
    call: () => Promise<SimulatorReply>,
    concerns: (fault: Routed) => boolean = () => true,
  ): Promise<{ reply: SimulatorReply; dropConnection: boolean }> {
    const fault = this.take(route, concerns);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.status === undefined || fault.dropConnectionAfterApplying) {
      return { reply: await call(), dropConnection: fault?.dropConnectionAfterApplying === true };
    }
    const headers: Record<string, string> =
      fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    return { reply: { status: fault.status, body: errorBody(fault.status), headers }, dropConnection: false };
  }

  private take(route: Routed['route'], concerns: (fault: Routed) => boolean): Routed | undefined {
    const entry = this.pending.find((candidate) => candidate.fault.route === route && concerns(candidate.fault));
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left === 0) this.pending.splice(this.pending.indexOf(entry), 1);
    return entry.fault;
  }
}
