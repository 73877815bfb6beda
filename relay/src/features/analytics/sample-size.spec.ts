import { describe, expect, it } from 'vitest';
import { usersPerVariantNeeded } from './sample-size.js';
import { normalQuantile } from './statistics.js';

describe('usersPerVariantNeeded', () => {
  // R's documentation of power.prop.test (package stats), its example:
  // power.prop.test(p1 = .50, p2 = .75, power = .90)  # =>  n = 76.7
  it("when 50% against 75% at 90% power, then 76.7 per group, as R's power.prop.test example", () => {
    expect(usersPerVariantNeeded(0.5, 0.75, 0.05, 0.9)).toBeCloseTo(76.7, 1);
  });

  // The same formula worked by hand: p1 = 0.10, p2 = 0.11, alpha 0.05, power 0.8:
  // (1.959964·√(2·0.105·0.895) + 0.841621·√(0.09 + 0.0979))² / 0.01² = 14,750.8.
  it('when a 10% uplift on a 10% rate at 80% power, then about 14,751 users per variant', () => {
    expect(usersPerVariantNeeded(0.1, 0.11, 0.05, 0.8)).toBeCloseTo(14_750.8, 0);
  });

  it('when the rates are equal or not inside (0, 1), then there is no sample size', () => {
    expect(usersPerVariantNeeded(0.1, 0.1, 0.05, 0.8)).toBeNull();
    expect(usersPerVariantNeeded(0, 0.1, 0.05, 0.8)).toBeNull();
    expect(usersPerVariantNeeded(0.95, 1.045, 0.05, 0.8)).toBeNull();
  });
});

describe('normalQuantile', () => {
  // Standard normal table values (Abramowitz & Stegun, Table 26.5).
  it.each([
    [0.975, 1.959963985],
    [0.9, 1.281551566],
    [0.8, 0.841621234],
    [0.5, 0],
    [0.001, -3.090232306],
  ])('Φ⁻¹(%f) = %f', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 8);
  });
});
