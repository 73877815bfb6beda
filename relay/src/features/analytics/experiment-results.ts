import type { ExperimentArm, ExperimentResults, SampleRatioCheck, SequentialReading } from '@switchyard/protocol';
import { DEFAULT_PLAN, sampleSizePlan, sequentialReading, type ExperimentPlan } from './experiment-plan.js';
import { chiSquareGoodnessOfFit, twoProportionZTest, wilsonInterval } from './statistics.js';

/** p-value under which a comparison is reported significant (two-sided, 95%). */
const SIGNIFICANCE_LEVEL = 0.05;
/** p-value under which the sample-ratio-mismatch check flags the split (the usual SRM threshold). */
const SRM_THRESHOLD = 0.001;

/** Given when no one (or everyone) in the compared variants converted: the z-test is undefined there. */
const NO_VARIATION_WARNING =
  'no variation in the outcome (no one or everyone converted): the test is undefined, so there is no comparison';

export interface ArmInput {
  variant: string;
  /** Configured share in percent. */
  weight: number;
  /** Distinct users served the variant. */
  users: number;
  /** Distinct users served the variant who reported the outcome. */
  converters: number;
  /** False when `users` is a HyperLogLog estimate (a set past the exact limit, or a sender's sketch). */
  usersExact: boolean;
  /** False when `converters` is a HyperLogLog estimate. */
  convertersExact: boolean;
}

/** Pure: per variant against the control, with the SRM check. docs/analytics.md explains each figure. */
export function experimentResults(
  arms: ArmInput[],
  control: string,
  minUsersPerVariant: number,
  plan: ExperimentPlan = DEFAULT_PLAN,
  droppedBySender = 0,
): ExperimentResults {
  const warnings: string[] = [];
  const controlArm = arms.find((arm) => arm.variant === control);
  const enough = (arm: ArmInput): boolean => arm.users >= minUsersPerVariant;
  // Variants with weight 0 are not part of the split: they need no users and get no comparison.
  const compared = arms.filter((arm) => arm.weight > 0 || arm.variant === control);
  const ready = compared.length >= 2 && compared.every(enough);
  let undefinedTest = false;
  const sampleSize = controlArm ? sampleSizePlan(controlArm, compared, plan, SIGNIFICANCE_LEVEL) : null;
  const results = arms.map((arm): ExperimentArm => {
    const converters = Math.min(arm.converters, arm.users);
    if (converters < arm.converters)
      warnings.push(`${arm.variant}: estimated converters exceed estimated users; capped at users`);
    const rate = arm.users > 0 ? converters / arm.users : null;
    let comparison: ExperimentArm['comparison'] = null;
    let sequential: SequentialReading | null = null;
    if (ready && controlArm && arm.variant !== control && compared.includes(arm)) {
      const controlConverters = Math.min(controlArm.converters, controlArm.users);
      const test = twoProportionZTest(converters, arm.users, controlConverters, controlArm.users);
      const controlRate = controlConverters / controlArm.users;
      if (!test) undefinedTest = true;
      else {
        comparison = {
          absoluteDifference: test.difference,
          relativeUplift: controlRate > 0 ? test.difference / controlRate : null,
          zScore: test.z,
          pValue: test.pValue,
          significant: test.pValue < SIGNIFICANCE_LEVEL,
        };
        sequential = sequentialReading(
          { variant: arm.variant, users: arm.users, converters },
          { variant: control, users: controlArm.users, converters: controlConverters },
          plan,
          SIGNIFICANCE_LEVEL,
          sampleSize,
        );
      }
    }
    return {
      variant: arm.variant,
      weight: arm.weight,
      isControl: arm.variant === control,
      users: arm.users,
      converters,
      usersExact: arm.usersExact,
      convertersExact: arm.convertersExact,
      countsExact: arm.usersExact && arm.convertersExact && droppedBySender === 0,
      conversionRate: rate,
      interval: arm.users > 0 ? wilsonInterval(converters, arm.users) : null,
      enoughData: enough(arm),
      comparison,
      sequential,
    };
  });
  if (undefinedTest) warnings.push(NO_VARIATION_WARNING);
  if (droppedBySender > 0)
    warnings.push(
      `senders reported losing ${droppedBySender} usage items in this range (full buffers or undeliverable batches): counts may be low`,
    );
  if (arms.some((arm) => !arm.usersExact || !arm.convertersExact))
    warnings.push('some counts are HyperLogLog estimates (about 1.6% relative error each)');
  const sampleRatioMismatch = sampleRatioCheck(arms, warnings);
  if (sampleRatioMismatch?.mismatch)
    warnings.push(
      'sample ratio mismatch: exposure does not match the configured weights; investigate before reading the results',
    );
  return {
    status: ready ? 'ready' : 'not-enough-data',
    minUsersPerVariant,
    control,
    arms: results,
    sampleRatioMismatch,
    sampleSize,
    droppedBySender,
    warnings,
  };
}

function sampleRatioCheck(arms: ArmInput[], warnings: string[]): SampleRatioCheck | null {
  const weighted = arms.filter((arm) => arm.weight > 0);
  const unexpected = arms.filter((arm) => arm.weight <= 0 && arm.users > 0);
  if (unexpected.length > 0)
    warnings.push(`users were served variants with weight 0: ${unexpected.map((arm) => arm.variant).join(', ')}`);
  const test = chiSquareGoodnessOfFit(
    weighted.map((arm) => arm.users),
    weighted.map((arm) => arm.weight),
  );
  if (!test) return null;
  const total = weighted.reduce((sum, arm) => sum + arm.users, 0);
  const weightTotal = weighted.reduce((sum, arm) => sum + arm.weight, 0);
  return {
    ...test,
    mismatch: test.pValue < SRM_THRESHOLD,
    observedUsers: Object.fromEntries(weighted.map((arm) => [arm.variant, arm.users])),
    expectedUsers: Object.fromEntries(weighted.map((arm) => [arm.variant, (total * arm.weight) / weightTotal])),
  };
}
