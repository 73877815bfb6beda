import type { BackoffOptions } from './provider-options.js';

/**
 * Exponential backoff with "equal jitter": each delay is half the exponential step plus a random
 * share of the other half, so many providers cut off at once do not reconnect in lockstep.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call doubles the step up to `maxDelayMs`. */
  next(): number {
    const step = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(step / 2 + (step / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
