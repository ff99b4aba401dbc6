import { randomUUID } from 'node:crypto';
import type { InvocationResult } from '../runtime/containers.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../aws/region.js';

const UNITS_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** `rate(5 minutes)` → 300000; undefined for what the local scheduler does not run (cron expressions). */
export const rateIntervalMs = (expression: string): number | undefined => {
  const match = /^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$/.exec(expression.trim());
  return match ? Number(match[1]) * (UNITS_MS[match[2] as string] as number) : undefined;
};

/** The event EventBridge sends a scheduled function. */
export const scheduledEvent = (ruleName: string, now = new Date()) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event' as const,
  source: 'aws.events',
  account: LOCAL_ACCOUNT_ID,
  time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: LOCAL_REGION,
  resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/${ruleName}`],
  detail: {},
});

export interface LocalSchedule {
  stop(): Promise<void>;
}

/**
 * EventBridge's schedule, locally: invokes the function with a scheduled event at once, then every `intervalMs`
 * after the previous invocation ended (EventBridge does not wait; locally runs never overlap, which keeps the
 * console readable).
 */
export const startSchedule = (options: {
  ruleName: string;
  intervalMs: number;
  invoke: (event: unknown) => Promise<InvocationResult>;
  invoked?: (result: InvocationResult) => void;
}): LocalSchedule => {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    running = options.invoke(scheduledEvent(options.ruleName)).then((result) => {
      options.invoked?.(result);
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
