/** What the end-to-end experiment tests read from `GET /api/v1/feature-flags/{name}/experiment`. */
interface ExperimentArm {
  variant: string;
  users: number;
  converters: number;
  usersExact: boolean;
  convertersExact: boolean;
  countsExact: boolean;
  conversionRate: number;
  comparison: { pValue: number; zScore: number } | null;
  sequential: { alwaysValidPValue: number; verdict: string } | null;
}

export interface ExperimentAnswer {
  status: string;
  arms: ExperimentArm[];
}

/** A fixed pseudo-random number in [0, 1) per seed (splitmix32), so a simulated population is the same every run. */
export function uniformDraw(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
}
