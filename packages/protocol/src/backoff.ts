/** Delays between attempts: from `initialDelayMs`, growing up to `maxDelayMs`, each randomised. */
export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Growth of the upper bound per attempt (AWS's "decorrelated jitter" uses 3). */
const GROWTH = 3;

/**
 * Exponential backoff with decorrelated jitter: each delay is drawn between `initialDelayMs` and
 * three times the previous delay, capped at `maxDelayMs`. Every delay lies within
 * [initialDelayMs, maxDelayMs], and many clients cut off at once spread their retries instead of
 * reconnecting in lockstep.
 */
export class Backoff {
  private previous: number | undefined;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt. */
  next(): number {
    const { initialDelayMs, maxDelayMs } = this.options;
    const floor = Math.min(initialDelayMs, maxDelayMs);
    const ceiling = Math.min(maxDelayMs, Math.max(floor, (this.previous ?? floor) * GROWTH));
    this.previous = Math.round(floor + (ceiling - floor) * this.random());
    return this.previous;
  }

  /** After a success: the next delay starts from `initialDelayMs` again. */
  reset(): void {
    this.previous = undefined;
  }
}
