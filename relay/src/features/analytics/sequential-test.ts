import type { SequentialReading } from '@switchyard/protocol';

/**
 * The always-valid reading of a two-proportion comparison: the mixture sequential probability
 * ratio test (mSPRT) of Johari, Koomen, Pekelis & Walsh ("Peeking at A/B tests: why it matters, and
 * what to do about it", KDD 2017; "Always valid inference", Operations Research 2022), the test
 * behind Optimizely's Stats Engine, with a normal mixing distribution N(0, τ²) over the difference θ
 * and the normal approximation of the difference of rates. Its p-value and confidence sequence stay
 * valid however often they are looked at and whenever the test is stopped (Ville's inequality).
 */
export type SequentialTest = Omit<SequentialReading, 'significant' | 'verdict'>;

/**
 * Λ = √(V / (V + τ²)) · exp(τ²·θ̂² / (2V(V + τ²))), V = p̂ₜ(1 − p̂ₜ)/nₜ + p̂꜀(1 − p̂꜀)/n꜀ (Johari et
 * al. 2017, §4, with unequal arms); the confidence sequence is {θ : Λ(θ) < 1/alpha}. Returns null
 * when V is 0 (no variation in either arm) or τ is not positive.
 */
export function mixtureSequentialTest(
  treatmentSuccesses: number,
  treatmentTrials: number,
  controlSuccesses: number,
  controlTrials: number,
  mixingStandardDeviation: number,
  alpha: number,
): SequentialTest | null {
  if (treatmentTrials <= 0 || controlTrials <= 0 || !(mixingStandardDeviation > 0)) return null;
  const treatmentRate = treatmentSuccesses / treatmentTrials;
  const controlRate = controlSuccesses / controlTrials;
  const variance =
    (treatmentRate * (1 - treatmentRate)) / treatmentTrials + (controlRate * (1 - controlRate)) / controlTrials;
  if (!(variance > 0)) return null;
  const tau2 = mixingStandardDeviation * mixingStandardDeviation;
  const difference = treatmentRate - controlRate;
  const logLikelihoodRatio =
    0.5 * Math.log(variance / (variance + tau2)) +
    (tau2 * difference * difference) / (2 * variance * (variance + tau2));
  const halfWidth = Math.sqrt(
    ((variance * (variance + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)),
  );
  return {
    alwaysValidPValue: Math.min(1, Math.exp(-logLikelihoodRatio)),
    confidenceSequence: { lower: difference - halfWidth, upper: difference + halfWidth },
    mixingStandardDeviation,
  };
}
