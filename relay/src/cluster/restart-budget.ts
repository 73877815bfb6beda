/** The window SWITCHYARD_WORKER_RESTART_LIMIT counts restarts in. */
const RESTART_WINDOW_MS = 60_000;

/** How many crashed workers may be restarted within a sliding window; beyond it the workers keep crashing. */
export class RestartBudget {
  private restarts: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs = RESTART_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a restart and returns true, or returns false when `limit` restarts already happened in the window. */
  take(): boolean {
    const now = this.now();
    this.restarts = this.restarts.filter((at) => now - at < this.windowMs);
    if (this.restarts.length >= this.limit) return false;
    this.restarts.push(now);
    return true;
  }
}
