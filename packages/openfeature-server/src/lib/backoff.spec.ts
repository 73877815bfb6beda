import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('when called repeatedly, then the step doubles up to maxDelayMs and each delay lies in its upper half', () => {
    const lowest = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 0);
    expect([1, 2, 3, 4, 5].map(() => lowest.next())).toEqual([50, 100, 200, 400, 500]);
    const highest = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 1);
    expect([1, 2, 3, 4, 5].map(() => highest.next())).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('when reset, then it starts again from initialDelayMs', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 1);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('when jitter is random, then two providers cut off together do not retry at the same moment', () => {
    const delays = new Set(
      Array.from({ length: 20 }, () => new Backoff({ initialDelayMs: 1_000, maxDelayMs: 30_000 }).next()),
    );
    expect(delays.size).toBeGreaterThan(1);
  });
});
