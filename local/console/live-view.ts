import type { Writable } from 'node:stream';

export interface LiveCounts {
  /** Messages Connect published into the queue. */
  published: number;
  /** Records handed to functions (a message received twice counts twice). */
  received: number;
  inFlight: number;
  /** Actions reported SUCCESS / FAILED to Connect. */
  succeeded: number;
  failed: number;
  /** Records handed back to their queue (reported failed in the batch, or the whole batch of a function error). */
  retried: number;
}

const PLAIN_INTERVAL_MS = 1000;
const TTY_INTERVAL_MS = 100;

/**
 * The live view: one status line of counts (and, when told how, of the orders Connect holds: the import's side). On a terminal it is redrawn in place and other lines print above
 * it; otherwise (CI, a pipe) a plain progress line is printed when the counts change, at most once a second.
 */
export class LiveView {
  readonly counts: LiveCounts = { published: 0, received: 0, inFlight: 0, succeeded: 0, failed: 0, retried: 0 };
  private startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private shown = '';
  private statusOnScreen = false;

  constructor(
    private readonly out: Writable,
    private readonly interactive: boolean,
    private readonly ordersInConnect?: () => number,
  ) {}

  start(): void {
    this.startedAt = Date.now();
    this.timer ??= setInterval(() => this.refresh(), this.interactive ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS);
  }

  /** Prints the counts one last time if they changed, and stops updating them. */
  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.refresh();
    if (this.interactive && this.statusOnScreen) this.out.write('\n');
    this.statusOnScreen = false;
  }

  /** A line that stays (a log line, an action's outcome), printed above the status line. */
  print(text: string): void {
    this.clearStatus();
    this.out.write(`${text}\n`);
    if (this.timer && this.interactive) this.drawStatus();
  }

  private refresh(): void {
    const counts = this.describe();
    if (this.interactive) {
      this.clearStatus();
      this.drawStatus();
    } else if (counts !== this.shown) {
      this.out.write(`[${this.elapsed()}] ${counts}\n`);
    }
    this.shown = counts;
  }

  private describe(): string {
    const { published, received, inFlight, succeeded, failed, retried } = this.counts;
    return `published ${published} · received ${received} · in flight ${inFlight} · succeeded ${succeeded} · failed ${failed} · retried ${retried}${this.held()}`;
  }

  private drawStatus(): void {
    const { published, received, inFlight, succeeded, failed, retried } = this.counts;
    const paint = (code: number, text: string, on: boolean) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
    const line = [
      `published ${published}`,
      `received ${received}`,
      paint(36, `in flight ${inFlight}`, inFlight > 0),
      paint(32, `succeeded ${succeeded}`, succeeded > 0),
      paint(31, `failed ${failed}`, failed > 0),
      paint(33, `retried ${retried}`, retried > 0),
    ].join(' · ');
    const held = this.held();
    this.out.write(`\x1b[2m${this.elapsed()}\x1b[0m  ${line}${held}`);
    this.statusOnScreen = true;
  }

  private held(): string {
    return this.ordersInConnect ? ` · orders in Connect ${this.ordersInConnect()}` : '';
  }

  private clearStatus(): void {
    if (this.interactive && this.statusOnScreen) this.out.write('\r\x1b[2K');
    this.statusOnScreen = false;
  }

  private elapsed(): string {
    return `${((Date.now() - this.startedAt) / 1000).toFixed(1).padStart(6)} s`;
  }
}
