import { describe, expect, it } from 'vitest';
import { experimentResults, type ArmInput } from './experiment-results.js';
import { usersPerVariantNeeded } from './sample-size.js';

const arm = (variant: string, users: number, converters: number, weight = 50): ArmInput => ({
  variant,
  weight,
  users,
  converters,
  usersExact: true,
  convertersExact: true,
});

describe('experimentResults', () => {
  // 100/1000 vs 130/1000: z = 2.1027, p = 0.03549 (pooled two-proportion test), Wilson 95%
  // intervals [0.0829, 0.1202] and [0.1106, 0.1523]; all recomputed by hand with Python's math module.
  it('when treatment converts 13% against 10% with 1000 users each, then uplift is 30% and p = 0.035', () => {
    const results = experimentResults([arm('control', 1000, 100), arm('treatment', 1000, 130)], 'control', 100);
    expect(results.status).toBe('ready');
    const [control, treatment] = results.arms;
    expect(control).toMatchObject({ isControl: true, conversionRate: 0.1, comparison: null });
    expect(control?.interval?.lower).toBeCloseTo(0.0829, 4);
    expect(control?.interval?.upper).toBeCloseTo(0.1202, 4);
    expect(treatment?.interval?.lower).toBeCloseTo(0.1106, 4);
    expect(treatment?.interval?.upper).toBeCloseTo(0.1523, 4);
    expect(treatment?.comparison?.relativeUplift).toBeCloseTo(0.3, 10);
    expect(treatment?.comparison?.absoluteDifference).toBeCloseTo(0.03, 10);
    expect(treatment?.comparison?.zScore).toBeCloseTo(2.1027, 4);
    expect(treatment?.comparison?.pValue).toBeCloseTo(0.03549, 5);
    expect(treatment?.comparison?.significant).toBe(true);
    expect(results.sampleRatioMismatch).toMatchObject({ statistic: 0, pValue: 1, mismatch: false });
  });

  it('when a variant has fewer users than the minimum, then there is no comparison yet', () => {
    const results = experimentResults([arm('control', 1000, 100), arm('treatment', 99, 20)], 'control', 100);
    expect(results.status).toBe('not-enough-data');
    expect(results.arms[1]).toMatchObject({ enoughData: false, comparison: null, conversionRate: 20 / 99 });
  });

  // 1000 vs 1200 users on a 50/50 split: X^2 = 18.18, df = 1, p = 2.0e-5 (Python: erfc(sqrt(X^2/2))).
  it('when exposure departs from the weights, then the sample ratio mismatch is flagged', () => {
    const results = experimentResults([arm('control', 1000, 100), arm('treatment', 1200, 130)], 'control', 100);
    expect(results.sampleRatioMismatch?.statistic).toBeCloseTo(18.1818, 4);
    expect(results.sampleRatioMismatch?.pValue).toBeCloseTo(2.008e-5, 8);
    expect(results.sampleRatioMismatch?.mismatch).toBe(true);
    expect(results.sampleRatioMismatch?.expectedUsers).toEqual({ control: 1100, treatment: 1100 });
    expect(results.warnings.join(' ')).toContain('sample ratio mismatch');
  });

  it('when weights are uneven, then the expected exposure follows them', () => {
    const results = experimentResults([arm('control', 900, 90, 90), arm('treatment', 100, 10, 10)], 'control', 100);
    expect(results.sampleRatioMismatch).toMatchObject({ statistic: 0, mismatch: false });
  });

  it('when estimated converters exceed estimated users, then they are capped and a warning says so', () => {
    const results = experimentResults(
      [arm('control', 100, 101), { ...arm('treatment', 100, 50), usersExact: false }],
      'control',
      10,
    );
    expect(results.arms[0]?.converters).toBe(100);
    expect(results.warnings.some((warning) => warning.includes('HyperLogLog'))).toBe(true);
  });

  it('when a variant has weight 0 and no users, then readiness and comparisons cover only the weighted variants and the control', () => {
    const results = experimentResults(
      [arm('control', 1000, 100), arm('treatment', 1000, 130), arm('retired', 0, 0, 0)],
      'control',
      100,
    );
    expect(results.status).toBe('ready');
    expect(results.arms[1]?.comparison?.pValue).toBeCloseTo(0.03549, 5);
    expect(results.arms[2]).toMatchObject({ variant: 'retired', enoughData: false, comparison: null });
  });

  it('when the control has weight 0, then it still has to reach the minimum', () => {
    const results = experimentResults([arm('control', 10, 1, 0), arm('treatment', 1000, 130, 100)], 'control', 100);
    expect(results.status).toBe('not-enough-data');
  });

  it('when no one converted, then the results are ready but a warning says the test is undefined', () => {
    const results = experimentResults([arm('control', 1000, 0), arm('treatment', 1000, 0)], 'control', 100);
    expect(results.status).toBe('ready');
    expect(results.arms[1]?.comparison).toBeNull();
    expect(results.warnings).toContain(
      'no variation in the outcome (no one or everyone converted): the test is undefined, so there is no comparison',
    );
  });

  it('when everyone converted, then the same warning is given', () => {
    const results = experimentResults([arm('control', 200, 200), arm('treatment', 300, 300)], 'control', 100);
    expect(results.arms[1]?.comparison).toBeNull();
    expect(results.warnings.some((warning) => warning.startsWith('no variation in the outcome'))).toBe(true);
  });

  describe('the always-valid reading and the sample size', () => {
    it('when treatment clearly converts better, then the always-valid test says so in plain words and that it is safe to stop', () => {
      const results = experimentResults([arm('control', 1000, 100), arm('treatment', 1000, 200)], 'control', 100);
      const sequential = results.arms[1]?.sequential;
      expect(sequential).toMatchObject({ significant: true, mixingStandardDeviation: 0.1 * 0.15 });
      expect(sequential?.alwaysValidPValue).toBeLessThan(0.05);
      expect(sequential?.verdict).toMatch(
        /^treatment converts better than control \(always-valid p = .*\): safe to stop now/,
      );
      expect(results.arms[0]?.sequential).toBeNull();
    });

    it('when the fixed-horizon test is significant on a small difference, then the always-valid one may still say keep running, with the users still needed', () => {
      const results = experimentResults([arm('control', 1000, 100), arm('treatment', 1000, 130)], 'control', 100);
      const treatment = results.arms[1]!;
      expect(treatment.comparison?.significant).toBe(true);
      expect(treatment.sequential?.significant).toBe(false);
      expect(treatment.sequential?.alwaysValidPValue).toBeGreaterThan(treatment.comparison!.pValue);
      const needed = Math.ceil(usersPerVariantNeeded(0.1, 0.11, 0.05, 0.8)!);
      expect(results.sampleSize).toEqual({
        minimumDetectableEffect: 0.1,
        power: 0.8,
        significanceLevel: 0.05,
        baselineRate: 0.1,
        targetRate: 0.1 * 1.1,
        usersPerVariant: needed,
        additionalUsersPerVariant: { control: needed - 1000, treatment: needed - 1000 },
      });
      expect(treatment.sequential?.verdict).toContain(
        `keep the test running, looking again later is safe (a fixed-horizon test of a 10% uplift needs about ${needed - 1000} more users per variant)`,
      );
    });

    it('when the confidence sequence lies within the minimum detectable effect, then it says the difference is too small to matter', () => {
      const results = experimentResults(
        [arm('control', 100_000, 10_000), arm('treatment', 100_000, 10_000)],
        'control',
        100,
      );
      expect(results.arms[1]?.sequential?.verdict).toMatch(
        /differ by less than a 10% uplift .*: safe to stop, the difference is too small to matter\.$/,
      );
      expect(results.sampleSize?.additionalUsersPerVariant).toEqual({ control: 0, treatment: 0 });
    });

    it('when the control has no users, or nobody in it converted, then there is no sample size', () => {
      expect(experimentResults([arm('control', 0, 0), arm('treatment', 10, 1)], 'control', 100).sampleSize).toBeNull();
      expect(
        experimentResults([arm('control', 1000, 0), arm('treatment', 1000, 5)], 'control', 100).sampleSize,
      ).toBeNull();
    });
  });
});
