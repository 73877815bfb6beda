import { describe, expect, it } from 'vitest';
import {
  chiSquareGoodnessOfFit,
  chiSquareSurvival,
  logGamma,
  normalCdf,
  twoProportionZTest,
  wilsonInterval,
} from './statistics.js';

describe('wilsonInterval', () => {
  // Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
  // seven methods", Statistics in Medicine 17:857-872, Table II, method 3 (score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("when %i of %i succeed, then the 95%% interval is Newcombe's [%f, %f]", (x, n, lower, upper) => {
    const interval = wilsonInterval(x, n);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it('when no trial succeeds, then the lower bound is exactly 0; when all do, the upper bound is exactly 1', () => {
    expect(wilsonInterval(0, 1000).lower).toBe(0);
    expect(wilsonInterval(0, 7).lower).toBe(0);
    expect(wilsonInterval(1000, 1000).upper).toBe(1);
    expect(wilsonInterval(7, 7).upper).toBe(1);
  });

  it('when there are no trials, then the interval is the whole range', () => {
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });
});

describe('twoProportionZTest', () => {
  // Physicians' Health Study (aspirin vs placebo, myocardial infarction): 104 of 11,037 vs 189 of
  // 11,034. Agresti, An Introduction to Categorical Data Analysis (2nd ed.), §2.2-2.4: the
  // proportions 0.0094 and 0.0171 and Pearson X^2 = 25.0 (= z^2 of the pooled test), p < 0.0001.
  // z and p recomputed independently with Python's math.erfc: z = -5.00139, p = 5.692e-7.
  it('when given the aspirin trial, then z and the p-value match the published analysis', () => {
    const test = twoProportionZTest(104, 11037, 189, 11034);
    expect(test?.difference).toBeCloseTo(0.0094 - 0.0171, 3);
    expect(test?.z).toBeCloseTo(-5.00139, 4);
    expect((test?.z ?? 0) ** 2).toBeCloseTo(25.01, 1);
    expect(test?.pValue).toBeCloseTo(5.692e-7, 9);
  });

  it('when both groups have the same rate, then z is 0 and p is 1', () => {
    const test = twoProportionZTest(50, 1000, 50, 1000);
    expect(test?.z).toBe(0);
    expect(test?.pValue).toBeCloseTo(1, 6);
  });

  it('when nobody converted in either group, then there is no test', () => {
    expect(twoProportionZTest(0, 100, 0, 100)).toBeNull();
  });
});

describe('chiSquareGoodnessOfFit', () => {
  // Mendel's dihybrid cross: 315 round-yellow, 108 round-green, 101 wrinkled-yellow, 32 wrinkled-green
  // against 9:3:3:1 (e.g. Moore & McCabe, Introduction to the Practice of Statistics): X^2 = 0.470,
  // df = 3, p = 0.925 (checked with the closed form for df = 3 via Python's math.erfc).
  it("when given Mendel's peas, then X^2 = 0.470 with p = 0.925", () => {
    const test = chiSquareGoodnessOfFit([315, 108, 101, 32], [9, 3, 3, 1]);
    expect(test?.statistic).toBeCloseTo(0.47, 3);
    expect(test?.degreesOfFreedom).toBe(3);
    expect(test?.pValue).toBeCloseTo(0.9254, 4);
  });

  // Kohavi, Tang & Xu, Trustworthy Online Controlled Experiments (2020), ch. 21: 821,588 vs
  // 815,482 users in a 50/50 experiment is a sample ratio mismatch with p = 1.8e-6.
  it('when a 50/50 split shows 821,588 vs 815,482 users, then the SRM p-value is 1.8e-6', () => {
    const test = chiSquareGoodnessOfFit([821588, 815482], [50, 50]);
    expect(test?.statistic).toBeCloseTo(22.774, 3);
    expect(test?.pValue).toBeCloseTo(1.82e-6, 8);
  });

  it('when an expected share is zero, then there is no test', () => {
    expect(chiSquareGoodnessOfFit([1, 2], [100, 0])).toBeNull();
  });
});

describe('distribution functions', () => {
  it('when evaluated at table values, then they match the standard tables', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.975002, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(18.307038, 10)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(124.342113, 100)).toBeCloseTo(0.05, 6);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
  });
});
