import { createOrderSyncHandler } from '../functions/order-sync.js';
import type { StoreRuns } from '../lib/import/index.js';
import { lambdaContext } from '../local/runtime/context.js';
import { scheduledEvent } from '../local/lambda/scheduler.js';

/** What the bench's orderSync process reports when every store is caught up. */
export interface OrderSyncProcessReport {
  invocations: number;
  runs: StoreRuns[];
  wallMs: number;
  /** The process's own peaks (bytes): sampled heap, and the kernel's maximum resident set. */
  peakHeapBytes: number;
  maxRssBytes: number;
}

/** Deployed: orderSyncFunctionTimeout. */
const LAMBDA_TIMEOUT_MS = 300_000;
const MAX_INVOCATIONS = 50;

const caughtUp = (runs: StoreRuns) =>
  Object.values(runs).every((run) => typeof run.orders === 'object' && run.orders.result === 'complete');

/**
 * The orderSync handler in a process of its own (the bench's servers keep every order in memory, so the memory
 * figures are the function's alone): one container, invoked as the schedule would until every store is caught up.
 */
const main = async () => {
  let peakHeapBytes = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
  }, 5);
  const handler = createOrderSyncHandler(process.env);
  const started = performance.now();
  const runs: StoreRuns[] = [];
  while (runs.length < MAX_INVOCATIONS) {
    runs.push(await handler(scheduledEvent('order-sync'), lambdaContext('orderSync', LAMBDA_TIMEOUT_MS, 512)));
    if (caughtUp(runs.at(-1) as StoreRuns)) break;
  }
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const report: OrderSyncProcessReport = {
    invocations: runs.length,
    runs,
    wallMs,
    peakHeapBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.send?.(report, () => process.exit(0));
};

await main();
