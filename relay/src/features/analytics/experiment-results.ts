import { usersPerVariantNeeded } from './sample-size.js';
import { mixtureSequentialTest } from './sequential-test.js';
import { chiSquareGoodnessOfFit, twoProportionZTest, wilsonInterval, type Interval } from './statistics.js';

/** p-value under which a comparison is reported significant (two-sided, 95%). */
export const SIGNIFICANCE_LEVEL = 0.05;
/** p-value under which the sample-ratio-mismatch check flags the split (the usual SRM threshold). */
export const SRM_THRESHOLD = 0.001;

/** Given when no one (or everyone) in the compared variants converted: the z-test is undefined there. */
export const NO_VARIATION_WARNING = 'no variation in the outcome (no one or everyone converted): the test is undefined, so there is no comparison';

/** What the reader plans for: the smallest relative uplift worth detecting and the power to detect it. */
export interface ExperimentPlan {
  /** Relative to the control's rate: 0.1 = a 10% uplift. */
  minimumDetectableEffect: number;
  /** Chance to detect that effect when it is there (0.8 = 80%). */
  power: number;
}

export const DEFAULT_PLAN: ExperimentPlan = { minimumDetectableEffect: 0.1, power: 0.8 };

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

export interface ArmResult {
  variant: string;
  weight: number;
  isControl: boolean;
  users: number;
  converters: number;
  usersExact: boolean;
  convertersExact: boolean;
  /** Both counts exact. */
  countsExact: boolean;
  conversionRate: number | null;
  /** 95% Wilson score interval of the conversion rate. */
  interval: Interval | null;
  enoughData: boolean;
  /** Against the control; null for the control and while data is short. */
  comparison: {
    absoluteDifference: number;
    /** (rate - control rate) / control rate; null when the control rate is 0. */
    relativeUplift: number | null;
    zScore: number;
    pValue: number;
    significant: boolean;
  } | null;
  /** The always-valid reading against the control (safe to look at any time); null where `comparison` is. */
  sequential: SequentialComparison | null;
}

export interface SequentialComparison {
  /** mSPRT p-value: below SIGNIFICANCE_LEVEL the difference is established, however often it was looked at. */
  alwaysValidPValue: number;
  /** Always-valid 95% confidence sequence of the absolute difference (rate − control rate). */
  confidenceSequence: Interval;
  /** τ of the normal mixture: minimumDetectableEffect × the pooled rate. */
  mixingStandardDeviation: number;
  significant: boolean;
  /** One line in plain words: what the always-valid test says and whether it is safe to stop. */
  verdict: string;
}

/** Fixed-horizon sample size for the plan, from the control's observed rate. */
export interface SampleSizePlan {
  minimumDetectableEffect: number;
  power: number;
  significanceLevel: number;
  /** The control's conversion rate now. */
  baselineRate: number;
  /** baselineRate × (1 + minimumDetectableEffect). */
  targetRate: number;
  /** Users each variant needs in total (two-sided z-test at significanceLevel). */
  usersPerVariant: number;
  /** Per compared variant: users still needed to reach usersPerVariant (0 once reached). */
  additionalUsersPerVariant: Record<string, number>;
}

export interface SampleRatioCheck {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** p < SRM_THRESHOLD: exposure does not match the weights; do not trust the comparison. */
  mismatch: boolean;
  observedUsers: Record<string, number>;
  expectedUsers: Record<string, number>;
}

export interface ExperimentResults {
  status: 'ready' | 'not-enough-data';
  minUsersPerVariant: number;
  control: string;
  arms: ArmResult[];
  sampleRatioMismatch: SampleRatioCheck | null;
  /** Null while the control has no users, or its rate is 0 or 1 (no uplift is defined then). */
  sampleSize: SampleSizePlan | null;
  warnings: string[];
}

/** Pure: per variant against the control, with the SRM check. docs/analytics.md explains each figure. */
export function experimentResults(arms: ArmInput[], control: string, minUsersPerVariant: number, plan: ExperimentPlan = DEFAULT_PLAN): ExperimentResults {
  const warnings: string[] = [];
  const controlArm = arms.find((arm) => arm.variant === control);
  const enough = (arm: ArmInput): boolean => arm.users >= minUsersPerVariant;
  // Variants with weight 0 are not part of the split: they need no users and get no comparison.
  const compared = arms.filter((arm) => arm.weight > 0 || arm.variant === control);
  const ready = compared.length >= 2 && compared.every(enough);
  let undefinedTest = false;
  const sampleSize = controlArm ? sampleSizePlan(controlArm, compared, plan) : null;
  const results = arms.map((arm): ArmResult => {
    const converters = Math.min(arm.converters, arm.users);
    if (converters < arm.converters) warnings.push(`${arm.variant}: estimated converters exceed estimated users; capped at users`);
    const rate = arm.users > 0 ? converters / arm.users : null;
    let comparison: ArmResult['comparison'] = null;
    let sequential: SequentialComparison | null = null;
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
        const pooledRate = (converters + controlConverters) / (arm.users + controlArm.users);
        const always = mixtureSequentialTest(converters, arm.users, controlConverters, controlArm.users, plan.minimumDetectableEffect * pooledRate, SIGNIFICANCE_LEVEL);
        if (always) {
          const significant = always.alwaysValidPValue < SIGNIFICANCE_LEVEL;
          const verdict = sequentialVerdict(arm.variant, control, always.alwaysValidPValue, test.difference, always.confidenceSequence, plan.minimumDetectableEffect * controlRate, plan, sampleSize);
          sequential = { ...always, significant, verdict };
        }
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
      countsExact: arm.usersExact && arm.convertersExact,
      conversionRate: rate,
      interval: arm.users > 0 ? wilsonInterval(converters, arm.users) : null,
      enoughData: enough(arm),
      comparison,
      sequential,
    };
  });
  if (undefinedTest) warnings.push(NO_VARIATION_WARNING);
  if (arms.some((arm) => !arm.usersExact || !arm.convertersExact)) warnings.push('some counts are HyperLogLog estimates (about 1.6% relative error each)');
  const sampleRatioMismatch = sampleRatioCheck(arms, warnings);
  if (sampleRatioMismatch?.mismatch) warnings.push('sample ratio mismatch: exposure does not match the configured weights; investigate before reading the results');
  return { status: ready ? 'ready' : 'not-enough-data', minUsersPerVariant, control, arms: results, sampleRatioMismatch, sampleSize, warnings };
}

/** One line in plain words from the always-valid test: established better or worse, too small to matter, or keep going. */
function sequentialVerdict(
  variant: string,
  control: string,
  pValue: number,
  difference: number,
  sequence: Interval,
  smallestEffect: number,
  plan: ExperimentPlan,
  sampleSize: SampleSizePlan | null,
): string {
  const p = `always-valid p = ${pValue.toPrecision(2)}`;
  const uplift = `${+(plan.minimumDetectableEffect * 100).toPrecision(3)}%`;
  if (pValue < SIGNIFICANCE_LEVEL) {
    return `${variant} converts ${difference > 0 ? 'better' : 'worse'} than ${control} (${p}): safe to stop now, however often you looked.`;
  }
  if (smallestEffect > 0 && sequence.lower > -smallestEffect && sequence.upper < smallestEffect) {
    return `${variant} and ${control} differ by less than a ${uplift} uplift (${p}): safe to stop, the difference is too small to matter.`;
  }
  const more = sampleSize ? Math.max(sampleSize.additionalUsersPerVariant[variant] ?? 0, sampleSize.additionalUsersPerVariant[control] ?? 0) : 0;
  const planned = more > 0 ? ` (a fixed-horizon test of a ${uplift} uplift needs about ${more} more users per variant)` : '';
  return `No difference between ${variant} and ${control} established yet (${p}): keep the test running, looking again later is safe${planned}.`;
}

function sampleSizePlan(control: ArmInput, compared: ArmInput[], plan: ExperimentPlan): SampleSizePlan | null {
  if (control.users <= 0) return null;
  const baselineRate = Math.min(control.converters, control.users) / control.users;
  const targetRate = baselineRate * (1 + plan.minimumDetectableEffect);
  const needed = usersPerVariantNeeded(baselineRate, targetRate, SIGNIFICANCE_LEVEL, plan.power);
  if (needed === null) return null;
  const usersPerVariant = Math.ceil(needed);
  return {
    minimumDetectableEffect: plan.minimumDetectableEffect,
    power: plan.power,
    significanceLevel: SIGNIFICANCE_LEVEL,
    baselineRate,
    targetRate,
    usersPerVariant,
    additionalUsersPerVariant: Object.fromEntries(compared.map((arm) => [arm.variant, Math.max(0, usersPerVariant - arm.users)])),
  };
}

function sampleRatioCheck(arms: ArmInput[], warnings: string[]): SampleRatioCheck | null {
  const weighted = arms.filter((arm) => arm.weight > 0);
  const unexpected = arms.filter((arm) => arm.weight <= 0 && arm.users > 0);
  if (unexpected.length > 0) warnings.push(`users were served variants with weight 0: ${unexpected.map((arm) => arm.variant).join(', ')}`);
  const test = chiSquareGoodnessOfFit(weighted.map((arm) => arm.users), weighted.map((arm) => arm.weight));
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
