import type { RegisterUpdate } from '@switchyard/protocol';

/**
 * Usage analytics storage: counters in hourly buckets, incremented atomically, plus unique-id sets
 * per bucket that stay exact up to a limit and then keep only HyperLogLog registers. Every write
 * is commutative (add, maximum, set union), so relays may write the same buckets concurrently
 * without transactions. See docs/analytics.md.
 */

/** Variant key for evaluations and outcomes without a variant (plain boolean flags). */
export const NO_VARIANT = '(none)';

/** Flag name under which a batch's events without a flag, and its `dropped` count, are kept. */
export const NO_FLAG = '';

export interface UsageBucketKey {
  flagName: string;
  environment: string;
  /** Start of the hour, ISO 8601 UTC with milliseconds: `2026-11-25T06:00:00.000Z`. */
  hourStart: string;
}

export interface VariantEvaluations {
  enabled: number;
  disabled: number;
}

/** Per outcome and variant: how often it was tracked, and the mean and spread of its `value`. */
export interface OutcomeTotals {
  count: number;
  valueCount: number;
  valueSum: number;
  /**
   * Σ (value − mean)² (Welford's M2), merged across buckets and relays with Chan et al.'s formula:
   * unlike Σx² − n·mean², it keeps the spread of large values (1000000001 … 3 has M2 = 2, not 0).
   */
  valueSquaredDeviations: number;
}

/** Data stored before the spread was kept as M2 has the sum of squares instead (read, never written). */
interface LegacyOutcomeTotals {
  valueSquaredDeviations?: number;
  valueSumOfSquares?: number;
}

export function emptyOutcomeTotals(): OutcomeTotals {
  return { count: 0, valueCount: 0, valueSum: 0, valueSquaredDeviations: 0 };
}

/** M2 of totals in either shape: stored M2, else derived from a legacy sum of squares (as precise as that was). */
export function squaredDeviationsOf(
  totals: OutcomeTotals | (LegacyOutcomeTotals & Omit<OutcomeTotals, 'valueSquaredDeviations'>),
): number {
  if (typeof totals.valueSquaredDeviations === 'number') return totals.valueSquaredDeviations;
  const legacy = (totals as LegacyOutcomeTotals).valueSumOfSquares;
  if (typeof legacy !== 'number' || totals.valueCount <= 0) return 0;
  return Math.max(0, legacy - (totals.valueSum * totals.valueSum) / totals.valueCount);
}

/** Adds `delta`'s values into `target` (Chan, Golub & LeVeque's pairwise update of count, sum and M2). */
export function mergeOutcomeTotals(target: OutcomeTotals, delta: OutcomeTotals): void {
  const deltaM2 = squaredDeviationsOf(delta);
  target.count += delta.count;
  if (delta.valueCount > 0) {
    const n = target.valueCount + delta.valueCount;
    if (target.valueCount === 0) {
      target.valueSquaredDeviations = deltaM2;
    } else {
      const difference = delta.valueSum / delta.valueCount - target.valueSum / target.valueCount;
      target.valueSquaredDeviations += deltaM2 + (difference * difference * target.valueCount * delta.valueCount) / n;
    }
    target.valueCount = n;
    target.valueSum += delta.valueSum;
  }
}

export interface UsageCounters {
  /** By variant (NO_VARIANT when none). */
  evaluations: Record<string, VariantEvaluations>;
  /** By OpenFeature error code. */
  errors: Record<string, number>;
  /** By outcome name, then variant. */
  outcomes: Record<string, Record<string, OutcomeTotals>>;
  /** Events senders reported dropping (their buffers were full). */
  droppedBySender: number;
}

export interface UsageBucket extends UsageBucketKey, UsageCounters {}

/** Which ids a unique set counts; build keys with `uniqueDimension`. */
export const uniqueDimension = {
  /** Everyone who evaluated the flag. */
  users: (): string => 'users',
  /** Everyone served this variant. */
  variantUsers: (variant: string): string => `users/${encodeURIComponent(variant)}`,
  /** Everyone in this variant who reported this outcome. */
  converters: (outcome: string, variant: string): string =>
    `converters/${encodeURIComponent(outcome)}/${encodeURIComponent(variant)}`,
};

export interface UniqueSetDelta extends UsageBucketKey {
  dimension: string;
  /** Ids seen since the last write, each once; empty when `overflow`. */
  ids: string[];
  /** The writer saw more ids than the exact limit: the stored set keeps registers only from now on. */
  overflow: boolean;
  /** HyperLogLog registers of the ids seen since the last write (always present). */
  registers: RegisterUpdate[];
}

export interface UniqueSetRecord extends UsageBucketKey {
  dimension: string;
  /** Every id in the bucket, while there are at most about `exactLimit`; null once only registers are kept. */
  exact: string[] | null;
  /** HyperLogLog registers; may be empty while `exact` is given (the ids are authoritative then). */
  registers: RegisterUpdate[];
}

/** One flush: counter increments and unique-set additions. */
export interface UsageDelta {
  counters: UsageBucket[];
  uniques: UniqueSetDelta[];
  /** A unique set holding more ids than this drops them and keeps its registers only. */
  exactLimit: number;
}

export interface UsageRange {
  /** Inclusive hour start. */
  from: string;
  /** Exclusive. */
  to: string;
  flagName?: string;
  environment?: string;
}

export interface UniqueSetQuery extends UsageRange {
  flagName: string;
  /** Only these dimensions (all when absent). */
  dimensions?: string[];
}

/** When a flag was last evaluated in an environment: what the stale-flag report reads, without scanning buckets. */
export interface LastEvaluation {
  flagName: string;
  environment: string;
  /** The latest bucket with evaluations. */
  hourStart: string;
  /** Per variant: the latest bucket in which it was served enabled. */
  lastEnabled: Record<string, string>;
  /** The latest bucket with a disabled evaluation; null when there was none. */
  lastDisabled: string | null;
}

export interface UsageStore {
  /**
   * Adds the counters, unions the sets and raises the registers. Applying a delta object again has
   * no further effect, so retrying one whose write failed half-way never double counts.
   */
  apply(delta: UsageDelta): Promise<void>;
  /** Buckets with anything in them, in no particular order. */
  buckets(range: UsageRange): Promise<UsageBucket[]>;
  uniqueSets(query: UniqueSetQuery): Promise<UniqueSetRecord[]>;
  /** Per flag and environment ever evaluated: the latest hour with evaluations. */
  lastEvaluations(): Promise<LastEvaluation[]>;
  /** Deletes buckets and unique sets of hours before `hourStart` (retention); last evaluations stay. */
  deleteBefore(hourStart: string): Promise<void>;
}

export function emptyCounters(): UsageCounters {
  return { evaluations: {}, errors: {}, outcomes: {}, droppedBySender: 0 };
}

/** Adds `delta` into `target` (both stores and the in-memory aggregation use this). */
export function addCounters(target: UsageCounters, delta: UsageCounters): void {
  for (const [variant, counts] of Object.entries(delta.evaluations)) {
    const current = (target.evaluations[variant] ??= { enabled: 0, disabled: 0 });
    current.enabled += counts.enabled;
    current.disabled += counts.disabled;
  }
  for (const [code, count] of Object.entries(delta.errors)) target.errors[code] = (target.errors[code] ?? 0) + count;
  for (const [outcome, byVariant] of Object.entries(delta.outcomes)) {
    const targetOutcome = (target.outcomes[outcome] ??= {});
    for (const [variant, totals] of Object.entries(byVariant)) {
      mergeOutcomeTotals((targetOutcome[variant] ??= emptyOutcomeTotals()), totals);
    }
  }
  target.droppedBySender += delta.droppedBySender;
}

/** Folds a bucket with evaluations into the flag's last evaluation (creating it when `last` is undefined). */
export function foldLastEvaluation(last: LastEvaluation | undefined, bucket: UsageBucket): LastEvaluation {
  const folded = last ?? {
    flagName: bucket.flagName,
    environment: bucket.environment,
    hourStart: bucket.hourStart,
    lastEnabled: {},
    lastDisabled: null,
  };
  if (folded.hourStart < bucket.hourStart) folded.hourStart = bucket.hourStart;
  for (const [variant, counts] of Object.entries(bucket.evaluations)) {
    if (counts.enabled > 0 && (folded.lastEnabled[variant] ?? '') < bucket.hourStart)
      folded.lastEnabled[variant] = bucket.hourStart;
    if (counts.disabled > 0 && (folded.lastDisabled ?? '') < bucket.hourStart) folded.lastDisabled = bucket.hourStart;
  }
  return folded;
}

export function hasEvaluations(counters: UsageCounters): boolean {
  return Object.values(counters.evaluations).some((counts) => counts.enabled + counts.disabled > 0);
}
