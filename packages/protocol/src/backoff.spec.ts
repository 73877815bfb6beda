import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('when random draws its lowest, then every delay is initialDelayMs', () => {
    const lowest = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 0);
    expect([1, 2, 3, 4].map(() => lowest.next())).toEqual([100, 100, 100, 100]);
  });

  it('when random draws its highest, then the delay triples up to maxDelayMs', () => {
    const highest = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 1);
    expect([1, 2, 3, 4].map(() => highest.next())).toEqual([300, 900, 1_000, 1_000]);
  });

  it('when reset, then it starts again from initialDelayMs', () => {
    const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 1_000 }, () => 1);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(300);
  });

  it('for any options and draws, then every delay lies within [initialDelayMs, maxDelayMs]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 1, maxLength: 40 }),
        (initialDelayMs, extra, draws) => {
          const maxDelayMs = initialDelayMs + extra;
          let i = 0;
          const backoff = new Backoff({ initialDelayMs, maxDelayMs }, () => draws[i++ % draws.length] ?? 0);
          for (const _ of draws) {
            const delay = backoff.next();
            expect(delay).toBeGreaterThanOrEqual(initialDelayMs);
            expect(delay).toBeLessThanOrEqual(maxDelayMs);
          }
        },
      ),
    );
  });

  it('when jitter is random, then providers cut off together do not retry at the same moment', () => {
    const delays = new Set(
      Array.from({ length: 20 }, () => new Backoff({ initialDelayMs: 1_000, maxDelayMs: 30_000 }).next()),
    );
    expect(delays.size).toBeGreaterThan(1);
  });
});
