import { describe, expect, it } from 'vitest';
import { mixtureSequentialTest } from './sequential-test.js';
import { twoProportionZTest } from './statistics.js';

/**
 * Independent computation: Λ is by definition the likelihood ratio of θ̂ ~ N(θ, V) averaged over
 * θ ~ N(0, τ²), ∫ φ(θ; 0, τ²) · exp((θ·θ̂ − θ²/2) / V) dθ (Johari et al. 2017, eq. 6). Here it is
 * integrated numerically (composite Simpson over ±12τ), not with the closed form under test.
 */
function mixtureLikelihoodRatioByQuadrature(difference: number, variance: number, tau: number, shift = 0): number {
  const steps = 40_000;
  const from = shift - 12 * tau;
  const width = (24 * tau) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const theta = from + i * width;
    const prior = Math.exp(-((theta - shift) ** 2) / (2 * tau * tau)) / (tau * Math.sqrt(2 * Math.PI));
    const ratio = Math.exp(((theta - shift) * (difference - shift) - (theta - shift) ** 2 / 2) / variance);
    sum += (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2) * prior * ratio;
  }
  return (sum * width) / 3;
}

/** splitmix32: a fixed stream of uniform numbers, so the simulation below is the same every run. */
function random(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

describe('mixtureSequentialTest (mSPRT)', () => {
  it.each([
    [130, 1000, 100, 1000, 0.01],
    [1_210, 10_000, 1_150, 10_000, 0.012],
    [45, 800, 61, 900, 0.02],
  ])(
    'when %i of %i convert against %i of %i (tau %f), then 1/p equals the mixture likelihood ratio integrated numerically',
    (x1, n1, x2, n2, tau) => {
      const test = mixtureSequentialTest(x1, n1, x2, n2, tau, 0.05)!;
      const p1 = x1 / n1;
      const p2 = x2 / n2;
      const variance = (p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2;
      const lambda = mixtureLikelihoodRatioByQuadrature(p1 - p2, variance, tau);
      expect(test.alwaysValidPValue).toBeCloseTo(Math.min(1, 1 / lambda), 8);
    },
  );

  it('when the confidence sequence is read at its bounds, then the likelihood ratio against that difference is exactly 1/alpha', () => {
    const test = mixtureSequentialTest(130, 1000, 100, 1000, 0.01, 0.05)!;
    const variance = (0.13 * 0.87) / 1000 + (0.1 * 0.9) / 1000;
    for (const bound of [test.confidenceSequence.lower, test.confidenceSequence.upper]) {
      expect(mixtureLikelihoodRatioByQuadrature(0.03, variance, 0.01, bound)).toBeCloseTo(20, 5);
    }
    expect(test.confidenceSequence.lower).toBeLessThan(0.03);
    expect(test.confidenceSequence.upper).toBeGreaterThan(0.03);
  });

  it('when there is no variation in either arm, then there is no test', () => {
    expect(mixtureSequentialTest(0, 100, 0, 100, 0.01, 0.05)).toBeNull();
    expect(mixtureSequentialTest(5, 100, 3, 100, 0, 0.05)).toBeNull();
  });

  // The property that makes it safe to peek (Johari et al. 2017, §3; their Figure 1 shows the
  // fixed-horizon test's false-positive rate growing far past 5% with repeated looks). 400 A/A
  // tests, both arms converting at 10%, read after every 100 users per arm, 50 times.
  it('when A/A tests are read 50 times each, then the always-valid p-value stays below 5% false positives where the fixed-horizon p-value does not', () => {
    const next = random(20171);
    let sequentialFalsePositives = 0;
    let peekingFalsePositives = 0;
    const experiments = 400;
    for (let experiment = 0; experiment < experiments; experiment++) {
      let a = 0;
      let b = 0;
      let n = 0;
      let sequentialRejected = false;
      let peekingRejected = false;
      for (let look = 0; look < 50; look++) {
        for (let i = 0; i < 100; i++) {
          if (next() < 0.1) a += 1;
          if (next() < 0.1) b += 1;
        }
        n += 100;
        const always = mixtureSequentialTest(a, n, b, n, 0.01, 0.05);
        const fixed = twoProportionZTest(a, n, b, n);
        if (always && always.alwaysValidPValue < 0.05) sequentialRejected = true;
        if (fixed && fixed.pValue < 0.05) peekingRejected = true;
      }
      if (sequentialRejected) sequentialFalsePositives += 1;
      if (peekingRejected) peekingFalsePositives += 1;
    }
    expect(sequentialFalsePositives / experiments).toBeLessThan(0.05);
    expect(peekingFalsePositives / experiments).toBeGreaterThan(0.15);
  });
});
