import { normalQuantile } from './statistics.js';

/**
 * Users per variant a fixed-horizon two-sided two-proportion z-test needs to detect a change from
 * `baselineRate` to `targetRate` with the given power (Fleiss, Levin & Paik, Statistical Methods
 * for Rates and Proportions, 3rd ed., §4.2, without continuity correction; the formula of R's
 * `power.prop.test`): n = (z₁₋α/₂·√(2p̄q̄) + z₁₋β·√(p₁q₁ + p₂q₂))² / (p₁ − p₂)², p̄ = (p₁ + p₂)/2.
 * Null when the rates are equal or outside (0, 1).
 */
export function usersPerVariantNeeded(
  baselineRate: number,
  targetRate: number,
  alpha: number,
  power: number,
): number | null {
  const rates = [baselineRate, targetRate];
  if (baselineRate === targetRate || rates.some((rate) => !(rate > 0 && rate < 1))) return null;
  const mean = (baselineRate + targetRate) / 2;
  const root =
    normalQuantile(1 - alpha / 2) * Math.sqrt(2 * mean * (1 - mean)) +
    normalQuantile(power) * Math.sqrt(baselineRate * (1 - baselineRate) + targetRate * (1 - targetRate));
  return (root * root) / ((baselineRate - targetRate) * (baselineRate - targetRate));
}
