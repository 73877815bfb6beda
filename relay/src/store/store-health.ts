import { StoreUnavailableError } from './store-errors.js';

/**
 * Whether the store is known to be down. A failed operation (StoreUnavailableError, from any slice)
 * marks it down; from then on a probe pings it every `probeIntervalMs` and marks it up at its first
 * answer. While it is down, what can be answered from memory (key checks, stream upgrades) is
 * answered at once instead of each request waiting out the store's timeout (docs/scaling.md).
 */
export class StoreHealth {
  private isDown = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly ping: () => Promise<void>,
    private readonly probeIntervalMs: number,
  ) {}

  get down(): boolean {
    return this.isDown;
  }

  /** Told of every failed store operation; only unavailability marks the store down. */
  reportFailure(error: unknown): void {
    if (!(error instanceof StoreUnavailableError) || this.isDown || this.stopped) return;
    this.isDown = true;
    this.scheduleProbe();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private scheduleProbe(): void {
    this.timer = setTimeout(() => void this.probe(), this.probeIntervalMs);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    try {
      await this.ping();
      this.isDown = false;
    } catch {
      if (!this.stopped) this.scheduleProbe();
    }
  }
}
