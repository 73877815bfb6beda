/**
 * Answers of the relay's analytics routes (`GET /api/v1/feature-flags/{name}/analytics` and
 * `…/experiment`), shared by the relay that builds them and the console and CLI that read them.
 * docs/analytics.md explains each figure.
 */

export const GRANULARITIES = ['hour', 'day'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface Interval {
  lower: number;
  upper: number;
}

export interface VariantAnalytics {
  variant: string;
  evaluations: number;
  enabledCount: number;
  disabledCount: number;
  uniqueUsers: number;
  uniqueUsersExact: boolean;
}

export interface OutcomeByVariant {
  variant: string;
  count: number;
  uniqueConverters: number;
  uniqueConvertersExact: boolean;
  /** uniqueConverters / uniqueUsers of the variant; null without exposed users. */
  conversionRate: number | null;
  valueCount: number;
  valueSum: number;
  valueMean: number | null;
  /** Sample standard deviation of the values; null below two values. */
  valueStandardDeviation: number | null;
}

export interface OutcomeAnalytics {
  outcome: string;
  count: number;
  byVariant: OutcomeByVariant[];
}

export interface TimeSeriesPoint {
  start: string;
  totalEvaluations: number;
  enabledCount: number;
  disabledCount: number;
  errorCount: number;
  uniqueUsers: number;
  outcomes: Record<string, number>;
}

/** `GET /api/v1/feature-flags/{name}/analytics`. */
export interface FlagAnalytics {
  flagName: string;
  environment: string | null;
  start: string;
  end: string;
  granularity: Granularity;
  totalEvaluations: number;
  enabledCount: number;
  disabledCount: number;
  uniqueUsers: number;
  uniqueUsersExact: boolean;
  errorCount: number;
  errors: Record<string, number>;
  /** What senders of the environment(s) reported losing in the range (their losses name no flag). */
  droppedBySender: number;
  variants: VariantAnalytics[];
  outcomes: OutcomeAnalytics[];
  timeSeries: TimeSeriesPoint[];
}

/** The always-valid reading (mSPRT) of a variant against the control. */
export interface SequentialReading {
  /** min(1, 1/Λ): below alpha, the difference is established, whenever it is read. */
  alwaysValidPValue: number;
  /** Always-valid (1 − alpha) confidence sequence of treatment rate − control rate. */
  confidenceSequence: Interval;
  /** τ, the standard deviation of the normal mixture over the difference. */
  mixingStandardDeviation: number;
  /** alwaysValidPValue below the significance level. */
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

/** One variant of an experiment. */
export interface ExperimentArm {
  variant: string;
  weight: number;
  isControl: boolean;
  users: number;
  converters: number;
  usersExact: boolean;
  convertersExact: boolean;
  /** Both counts exact, and no sender reported losing usage in the range (droppedBySender 0). */
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
  sequential: SequentialReading | null;
}

export interface SampleRatioCheck {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  /** p < 0.001: exposure does not match the weights; do not trust the comparison. */
  mismatch: boolean;
  observedUsers: Record<string, number>;
  expectedUsers: Record<string, number>;
}

export interface ExperimentResults {
  status: 'ready' | 'not-enough-data';
  minUsersPerVariant: number;
  control: string;
  arms: ExperimentArm[];
  sampleRatioMismatch: SampleRatioCheck | null;
  /** Null while the control has no users, or its rate is 0 or 1 (no uplift is defined then). */
  sampleSize: SampleSizePlan | null;
  /** Usage senders reported losing in the range and environment(s): not per flag, their losses name none. */
  droppedBySender: number;
  warnings: string[];
}

/** `GET /api/v1/feature-flags/{name}/experiment`. */
export interface ExperimentReport extends ExperimentResults {
  flagName: string;
  environment: string | null;
  outcome: string;
  start: string;
  end: string;
  method: string;
}
