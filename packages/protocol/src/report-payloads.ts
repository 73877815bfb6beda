/** Answers of the relay's report routes, shared by the relay that builds them and the clients that read them. */

/** What one scheduler run did. */
export interface SchedulerRunResult {
  /** Flags checked. */
  flagsChecked: number;
  /** Steps written by this relay (one per flag, however many of its rules moved). */
  stepsApplied: number;
  /** Steps another writer got to first (another relay, or an editor): re-checked at the next run. */
  conflicts: number;
  /** Flags whose step failed for another reason, with why. */
  failures: Array<{ flagName: string; error: string }>;
}

/** One gradual rollout as `GET /api/v1/scheduler` shows it. */
export interface GradualRolloutView {
  flagName: string;
  environment: string;
  ruleIndex: number;
  ruleName?: string;
  percentage: number;
  maxPercentage: number;
  gradualIncrement: number;
  gradualPeriodSeconds: number;
  startDate?: string;
  lastStepAt?: string;
  paused: boolean;
  /** A step is due now: the next run will take it. */
  due: boolean;
  /** When the next step falls due (null: paused or at its ceiling). */
  nextStepAt: string | null;
}

/** `GET /api/v1/scheduler`: the seed's "gradual rollout not updating" troubleshooting. */
export interface SchedulerStatus {
  cron: string;
  running: boolean;
  lastRun: { startedAt: string; finishedAt: string; result?: SchedulerRunResult; error?: string } | null;
  nextRunAt: string | null;
  /** Names of flags with a step due now. */
  flagsDue: string[];
  rollouts: GradualRolloutView[];
}

export const STALE_REASONS = ['not-evaluated', 'always-enabled', 'always-disabled'] as const;
export type StaleReason = (typeof STALE_REASONS)[number];

/** One flag of `GET /api/v1/reports/stale-flags`. */
export interface StaleFlag {
  flagName: string;
  owner: string | null;
  reason: StaleReason;
  /** Start of the last hour with evaluations, in any environment; null when never evaluated. */
  lastEvaluatedAt: string | null;
  /** Within the window, all environments. */
  evaluations: number;
  enabledCount: number;
  disabledCount: number;
  createdAt: string;
}

/** `GET /api/v1/reports/stale-flags`. */
export interface StaleFlagsReport {
  days: number;
  /** Start of the window (whole hours). */
  since: string;
  generatedAt: string;
  flags: StaleFlag[];
}
