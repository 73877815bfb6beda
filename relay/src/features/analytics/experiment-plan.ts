import type { SampleSizePlan, SequentialReading } from '@switchyard/protocol';
import { usersPerVariantNeeded } from './sample-size.js';
import { mixtureSequentialTest, type SequentialTest } from './sequential-test.js';

/**
 * What the reader of an experiment plans for (the `mde` and `power` query parameters), and the two
 * figures built on it: the fixed-horizon sample size still needed, and the always-valid reading
 * with its one-line verdict. docs/analytics.md explains both.
 */
export interface ExperimentPlan {
  /** The smallest uplift worth detecting, relative to the control's rate: 0.1 = a 10% uplift. */
  minimumDetectableEffect: number;
  /** Chance to detect that effect when it is there (0.8 = 80%). */
  power: number;
}

export const DEFAULT_PLAN: ExperimentPlan = { minimumDetectableEffect: 0.1, power: 0.8 };

/** One arm's counts, as compared (converters already capped at users). */
export interface ArmCounts {
  variant: string;
  users: number;
  converters: number;
}

/** Null while the control has no users, or its rate is 0 or 1 (no uplift is defined then). */
export function sampleSizePlan(
  control: ArmCounts,
  compared: ArmCounts[],
  plan: ExperimentPlan,
  alpha: number,
): SampleSizePlan | null {
  if (control.users <= 0) return null;
  const baselineRate = Math.min(control.converters, control.users) / control.users;
  const targetRate = baselineRate * (1 + plan.minimumDetectableEffect);
  const needed = usersPerVariantNeeded(baselineRate, targetRate, alpha, plan.power);
  if (needed === null) return null;
  const usersPerVariant = Math.ceil(needed);
  return {
    minimumDetectableEffect: plan.minimumDetectableEffect,
    power: plan.power,
    significanceLevel: alpha,
    baselineRate,
    targetRate,
    usersPerVariant,
    additionalUsersPerVariant: Object.fromEntries(
      compared.map((arm) => [arm.variant, Math.max(0, usersPerVariant - arm.users)]),
    ),
  };
}

/** The mSPRT of `arm` against `control` with τ = mde × pooled rate, and its verdict; null when there is no variation. */
export function sequentialReading(
  arm: ArmCounts,
  control: ArmCounts,
  plan: ExperimentPlan,
  alpha: number,
  sampleSize: SampleSizePlan | null,
): SequentialReading | null {
  const pooledRate = (arm.converters + control.converters) / (arm.users + control.users);
  const test = mixtureSequentialTest(
    arm.converters,
    arm.users,
    control.converters,
    control.users,
    plan.minimumDetectableEffect * pooledRate,
    alpha,
  );
  if (!test) return null;
  const significant = test.alwaysValidPValue < alpha;
  return { ...test, significant, verdict: verdict(arm, control, test, significant, plan, sampleSize) };
}

/** Established better or worse, too small to matter (the sequence lies within ± mde × control rate), or keep going. */
function verdict(
  arm: ArmCounts,
  control: ArmCounts,
  test: SequentialTest,
  significant: boolean,
  plan: ExperimentPlan,
  sampleSize: SampleSizePlan | null,
): string {
  const p = `always-valid p = ${test.alwaysValidPValue.toPrecision(2)}`;
  const uplift = `${+(plan.minimumDetectableEffect * 100).toPrecision(3)}%`;
  const difference = arm.converters / arm.users - control.converters / control.users;
  if (significant) {
    return `${arm.variant} converts ${difference > 0 ? 'better' : 'worse'} than ${control.variant} (${p}): safe to stop now, however often you looked.`;
  }
  const smallestEffect = plan.minimumDetectableEffect * (control.converters / control.users);
  const { lower, upper } = test.confidenceSequence;
  if (smallestEffect > 0 && lower > -smallestEffect && upper < smallestEffect) {
    return `${arm.variant} and ${control.variant} differ by less than a ${uplift} uplift (${p}): safe to stop, the difference is too small to matter.`;
  }
  const additional = sampleSize?.additionalUsersPerVariant ?? {};
  const more = Math.max(additional[arm.variant] ?? 0, additional[control.variant] ?? 0);
  const planned =
    more > 0 ? ` (a fixed-horizon test of a ${uplift} uplift needs about ${more} more users per variant)` : '';
  return `No difference between ${arm.variant} and ${control.variant} established yet (${p}): keep the test running, looking again later is safe${planned}.`;
}
