import type { ErrorCode, JsonValue } from '@switchyard/core';
import type { UserSketch } from './unique-ids.js';

/**
 * `POST /api/v1/usage`: what providers batch and ship. Counts are pre-aggregated by the
 * provider per (flag, variant, enabled) and period, so one entry stands for many evaluations.
 */
export interface EvaluationCount {
  flagName: string;
  variant?: string;
  enabled: boolean;
  count: number;
  /**
   * Distinct user ids seen for this entry in the period, for unique-user analytics: all of them,
   * while the sender kept them exactly (at most its per-counter limit).
   */
  userIds?: string[];
  /**
   * Instead of `userIds` once the sender saw more distinct users than it keeps exactly: a
   * HyperLogLog sketch of all of them. The relay then reports the counts as estimates.
   */
  userSketch?: UserSketch;
  /** Start of the period the counts cover (ISO 8601). */
  periodStart: string;
}

export interface EvaluationErrorCount {
  flagName: string;
  errorCode: ErrorCode;
  count: number;
  periodStart: string;
}

/** An outcome tracked with OpenFeature's `track()` or the seed's `trackFeatureUsage` (e.g. "conversion"). */
export interface TrackedEvent {
  /** The outcome's name. */
  name: string;
  flagName?: string;
  variant?: string;
  userId?: string;
  value?: number;
  metadata?: Record<string, JsonValue>;
  timestamp: string;
}

export interface UsageBatch {
  environment?: string;
  evaluations?: EvaluationCount[];
  errors?: EvaluationErrorCount[];
  events?: TrackedEvent[];
  /** Events the sender had to drop because its buffer was full, reported so the loss is visible. */
  dropped?: number;
}
