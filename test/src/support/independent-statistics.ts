/**
 * An independent re-computation of the experiment answer's fixed-horizon test, for end-to-end
 * tests: the pooled two-proportion z-test (Agresti, An Introduction to Categorical Data Analysis,
 * §2.4) with the normal tail from the continued fraction of erfc (Abramowitz & Stegun 7.1.14,
 * evaluated with Lentz's method) — another algorithm than the relay's Chebyshev fit, so that a
 * shared mistake is unlikely.
 */
export function twoProportionPValue(
  treatmentConverters: number,
  treatmentUsers: number,
  controlConverters: number,
  controlUsers: number,
): number {
  const pooled = (treatmentConverters + controlConverters) / (treatmentUsers + controlUsers);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / treatmentUsers + 1 / controlUsers));
  const z = (treatmentConverters / treatmentUsers - controlConverters / controlUsers) / standardError;
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** erfc(x) for x >= 0: the Maclaurin series of erf below 2, Laplace's continued fraction above. */
function erfc(x: number): number {
  if (x < 2) {
    // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const next = term / (2 * n + 1);
      sum += next;
      if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
