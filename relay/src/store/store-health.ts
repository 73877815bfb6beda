import { StoreUnavailableError } from './store-errors.js';

/**
 * Whether the store is known to be down. A failed operation (StoreUnavailableError, from any slice)
 * marks it down; from then on the `store-probe` job (every SWITCHYARD_STORE_PROBE_INTERVAL_MS) pings
 * it and marks it up at its first answer. While it is down, what can be answered from memory (key checks, stream upgrades) is
 * answered at once instead of each request waiting out the store's timeout (docs/scaling.md).
 */
export class StoreHealth {
  private isDown = false;

  constructor(private readonly ping: () => Promise<void>) {}

  get down(): boolean {
    return this.isDown;
  }

  /** Told of every failed store operation; only unavailability marks the store down. */
  reportFailure(error: unknown): void {
    if (error instanceof StoreUnavailableError) this.isDown = true;
  }

  /** While the store is down, pings it and marks it up if it answers; does nothing while it is up. */
  async probe(): Promise<void> {
    if (!this.isDown) return;
    try {
      await this.ping();
      this.isDown = false;
    } catch {
      // Still down: the next probe tries again.
    }
  }
}
