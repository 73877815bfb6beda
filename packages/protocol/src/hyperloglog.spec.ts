import { describe, expect, it } from 'vitest';
import { HLL_RELATIVE_STANDARD_ERROR, HyperLogLog } from './hyperloglog.js';

function sketchOf(prefix: string, count: number): HyperLogLog {
  const sketch = new HyperLogLog();
  for (let i = 0; i < count; i++) sketch.add(`${prefix}-${i}`);
  return sketch;
}

describe('HyperLogLog', () => {
  it('when empty, then the estimate is 0', () => {
    expect(new HyperLogLog().estimate()).toBe(0);
  });

  it('when the same ids are added twice, then they count once', () => {
    const sketch = sketchOf('user', 500);
    const once = sketch.estimate();
    for (let i = 0; i < 500; i++) sketch.add(`user-${i}`);
    expect(sketch.estimate()).toBe(once);
    expect(Math.abs(once - 500)).toBeLessThanOrEqual(5);
  });

  // Three standard errors: the ids are fixed, so this is deterministic, and fails if the
  // estimator is biased by more than a few percent anywhere in the range.
  it.each([100, 1_000, 10_000, 30_000, 200_000])(
    'when %i distinct ids are added, then the estimate is within 3 standard errors',
    (count) => {
      const estimate = sketchOf('user', count).estimate();
      expect(Math.abs(estimate - count) / count).toBeLessThan(3 * HLL_RELATIVE_STANDARD_ERROR);
    },
  );

  it('when two sketches are merged, then the estimate is of the union', () => {
    const first = sketchOf('user', 20_000);
    const second = sketchOf('user', 30_000);
    second.merge(first);
    expect(Math.abs(second.estimate() - 30_000) / 30_000).toBeLessThan(3 * HLL_RELATIVE_STANDARD_ERROR);
    const disjoint = sketchOf('other', 10_000);
    disjoint.mergeRegisters(first.toUpdates());
    expect(Math.abs(disjoint.estimate() - 30_000) / 30_000).toBeLessThan(3 * HLL_RELATIVE_STANDARD_ERROR);
  });

  it('when the registers are stored sparsely and read back, then the estimate is unchanged', () => {
    const sketch = sketchOf('user', 5_000);
    const copy = new HyperLogLog();
    copy.mergeRegisters(sketch.toUpdates());
    expect(copy.estimate()).toBe(sketch.estimate());
  });
});
