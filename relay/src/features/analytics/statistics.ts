/**
 * Pure statistics for A/B results: no I/O, no dependencies. Each function names the textbook
 * method it implements; statistics.spec.ts checks them against published worked examples.
 */

import type { Interval } from '@switchyard/protocol';

/** The 97.5th percentile of the standard normal distribution: a two-sided 95% interval. */
const Z_95 = 1.959963984540054;

/**
 * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
 * (Press et al., Numerical Recipes, 2nd ed., §6.2, `erfcc`): accurate far into the tails, where
 * small p-values live.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const polynomial =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const result = t * Math.exp(-z * z + polynomial);
  return x >= 0 ? result : 2 - result;
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** P(|Z| >= |z|): the two-sided p-value of a z statistic. */
function twoSidedPValue(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998, method 3). Unlike
 * the Wald interval it stays inside [0, 1] and keeps its coverage for small counts and rates near 0.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Interval {
  if (trials <= 0) return { lower: 0, upper: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0 (or all) successes the bounds are exactly 0 (or 1); rounding would leave about 1e-18.
  return {
    lower: successes <= 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes >= trials ? 1 : Math.min(1, centre + halfWidth),
  };
}

export interface TwoProportionTest {
  /** Treatment rate minus control rate. */
  difference: number;
  z: number;
  /** Two-sided. */
  pValue: number;
}

/**
 * Two-proportion z-test with the pooled standard error (the test equivalent to Pearson's
 * chi-square on the 2x2 table; Agresti, An Introduction to Categorical Data Analysis, §2.4).
 * Returns null when the pooled rate is 0 or 1: the statistic is undefined there.
 */
export function twoProportionZTest(
  treatmentSuccesses: number,
  treatmentTrials: number,
  controlSuccesses: number,
  controlTrials: number,
): TwoProportionTest | null {
  if (treatmentTrials <= 0 || controlTrials <= 0) return null;
  const treatmentRate = treatmentSuccesses / treatmentTrials;
  const controlRate = controlSuccesses / controlTrials;
  const pooled = (treatmentSuccesses + controlSuccesses) / (treatmentTrials + controlTrials);
  if (pooled <= 0 || pooled >= 1) return null;
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / treatmentTrials + 1 / controlTrials));
  const z = (treatmentRate - controlRate) / standardError;
  return { difference: treatmentRate - controlRate, z, pValue: twoSidedPValue(z) };
}

export interface ChiSquareTest {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/**
 * Pearson's chi-square goodness of fit of observed counts against expected shares (any positive
 * scale; normalised here). Categories expected to be empty must be left out by the caller.
 */
export function chiSquareGoodnessOfFit(observed: number[], expectedShares: number[]): ChiSquareTest | null {
  if (observed.length !== expectedShares.length || observed.length < 2) return null;
  const total = observed.reduce((sum, count) => sum + count, 0);
  const shareTotal = expectedShares.reduce((sum, share) => sum + share, 0);
  if (total <= 0 || shareTotal <= 0 || expectedShares.some((share) => share <= 0)) return null;
  let statistic = 0;
  observed.forEach((count, index) => {
    const expected = (total * (expectedShares[index] as number)) / shareTotal;
    statistic += ((count - expected) * (count - expected)) / expected;
  });
  const degreesOfFreedom = observed.length - 1;
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/** P(X >= x) for X chi-square distributed with `degreesOfFreedom`. */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  if (x <= 0) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, x / 2);
}

/**
 * Upper regularised incomplete gamma Q(a, x): the power series of P for x < a + 1, otherwise the
 * continued fraction of Q evaluated with the modified Lentz method (Numerical Recipes §6.2).
 */
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefactor));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(logPrefactor) * h);
}

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0, Lanczos approximation (g = 7, n = 9), relative error about 1e-15. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = 0.99999999999980993;
  LANCZOS.forEach((coefficient, index) => {
    sum += coefficient / (shifted + index + 1);
  });
  const t = shifted + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

const ACKLAM_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const ACKLAM_B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const ACKLAM_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1: P. J. Acklam's rational approximation
 * ("An algorithm for computing the inverse normal cumulative distribution function", 2003),
 * relative error below 1.15e-9.
 */
export function normalQuantile(p: number): number {
  const polynomial = (coefficients: number[], x: number) =>
    coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  }
  if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (polynomial(ACKLAM_A, r) * q) / (polynomial(ACKLAM_B, r) * r + 1);
}
