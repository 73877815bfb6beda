import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, bucketOf, bucketPrefix, bucketUnits, percentageToUnits, ROLLOUT_SALT } from './bucketing.js';
import { murmur3 } from './murmur3.js';

describe('bucketing', () => {
  it('is murmur3 of "flag:salt:key" modulo 100000, in thousandths of a percent', () => {
    expect(bucketOf('new-dashboard', 'rollout', 'user-123')).toBe(
      (murmur3('new-dashboard:rollout:user-123') % 100_000) / 1000,
    );
  });

  it('puts every key in [0, 100) and always in the same bucket', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (flag, key) => {
        const bucket = bucketOf(flag, ROLLOUT_SALT, key);
        expect(bucket).toBeGreaterThanOrEqual(0);
        expect(bucket).toBeLessThan(100);
        expect(bucketOf(flag, ROLLOUT_SALT, key)).toBe(bucket);
      }),
    );
  });

  it('gives the same user different buckets in different flags', () => {
    let same = 0;
    for (let i = 0; i < 1000; i++)
      if (bucketOf('flag-a', ROLLOUT_SALT, `u${i}`) === bucketOf('flag-b', ROLLOUT_SALT, `u${i}`)) same++;
    expect(same).toBeLessThan(5);
  });

  it('turns percentages into thresholds at 0.001% resolution, 0 and 100 included', () => {
    expect(percentageToUnits(0)).toBe(0);
    expect(percentageToUnits(-5)).toBe(0);
    expect(percentageToUnits(Number.NaN)).toBe(0);
    expect(percentageToUnits(25)).toBe(25_000);
    expect(percentageToUnits(33.3333)).toBe(33_333);
    expect(percentageToUnits(0.001)).toBe(1);
    expect(percentageToUnits(100)).toBe(BUCKET_COUNT);
  });

  it('thresholds grow with the percentage (so rollouts are monotonic)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (a, b) => {
          if (a <= b) expect(percentageToUnits(a)).toBeLessThanOrEqual(percentageToUnits(b));
        },
      ),
    );
  });

  it('spreads keys evenly over the buckets (each tenth holds 10% ± 1% of 100,000 keys)', () => {
    const prefix = bucketPrefix('spread', ROLLOUT_SALT);
    const tenths = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) tenths[Math.floor(bucketUnits(prefix, `user-${i}`) / 10_000)]!++;
    for (const count of tenths) expect(Math.abs(count - 10_000)).toBeLessThan(1_000);
  });
});
