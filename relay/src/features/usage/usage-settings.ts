import { readPositiveIntegers } from '../../config/positive-integers.js';

/**
 * Every limit of usage ingestion and analytics, with its default. The relay's configuration
 * (relay/src/config) reads them from the environment; docs/analytics.md lists them.
 */
export interface UsageSettings {
  /** SWITCHYARD_USAGE_MAX_BODY_BYTES: largest `POST /api/v1/usage` body; larger ones get 413. */
  maxBodyBytes: number;
  /** SWITCHYARD_USAGE_MAX_ENTRIES_PER_BATCH: evaluations + errors + events in one batch. */
  maxEntriesPerBatch: number;
  /** SWITCHYARD_USAGE_MAX_USER_IDS_PER_ENTRY: `userIds` of one evaluation entry. */
  maxUserIdsPerEntry: number;
  /** SWITCHYARD_USAGE_MAX_SKETCHES_PER_BATCH: evaluation entries with a `userSketch` (4 KiB of registers each) in one batch. */
  maxSketchesPerBatch: number;
  /** SWITCHYARD_USAGE_MAX_COUNT_PER_ENTRY: `count` of one evaluation or error entry (and `dropped`), far below 2^53 so that sums stay exact. */
  maxCountPerEntry: number;
  /** SWITCHYARD_USAGE_MAX_VALUE: largest |value| of an event, so that sums of values stay finite and precise. */
  maxValue: number;
  /** SWITCHYARD_USAGE_MAX_OUTCOMES_PER_FLAG_HOUR: distinct outcome (event) names per flag, environment and hour; events of further names are left out and reported. */
  maxOutcomesPerFlagHour: number;
  /** SWITCHYARD_USAGE_OUTCOME_NAME_CACHE_FLAG_HOURS: flag-hours whose outcome names a relay keeps in memory; others are read back from the store when next needed. */
  outcomeNameCacheFlagHours: number;
  /** SWITCHYARD_USAGE_MAX_METADATA_BYTES: one event's `metadata`, as JSON. */
  maxMetadataBytes: number;
  /** SWITCHYARD_USAGE_MAX_CLOCK_SKEW_SECONDS: how far in the future a timestamp may lie. */
  maxClockSkewSeconds: number;
  /** SWITCHYARD_USAGE_FLUSH_INTERVAL_MS: how often aggregated usage is written to the store. */
  flushIntervalMs: number;
  /** SWITCHYARD_USAGE_MAX_PENDING_KEYS: buckets and unique sets awaiting a write before ingestion answers 503. */
  maxPendingKeys: number;
  /** SWITCHYARD_USAGE_EXACT_UNIQUE_LIMIT: ids kept exactly per bucket and set before HyperLogLog takes over. */
  exactUniqueLimit: number;
  /** SWITCHYARD_USAGE_RETENTION_DAYS: buckets and unique sets older than this are deleted (hourly). */
  retentionDays: number;
  /** SWITCHYARD_ANALYTICS_MAX_DAYS: longest range an analytics query may cover. */
  analyticsMaxDays: number;
  /** SWITCHYARD_EXPERIMENT_MIN_USERS_PER_VARIANT: exposed users each variant needs before results are shown as ready. */
  experimentMinUsersPerVariant: number;
}

export const USAGE_DEFAULTS: UsageSettings = {
  maxBodyBytes: 1024 * 1024,
  maxEntriesPerBatch: 10_000,
  maxUserIdsPerEntry: 1_000,
  maxSketchesPerBatch: 100,
  maxCountPerEntry: 1_000_000_000,
  maxValue: 1_000_000_000_000,
  maxOutcomesPerFlagHour: 50,
  outcomeNameCacheFlagHours: 1_000,
  maxMetadataBytes: 4 * 1024,
  maxClockSkewSeconds: 300,
  flushIntervalMs: 1_000,
  maxPendingKeys: 100_000,
  exactUniqueLimit: 1_000,
  retentionDays: 400,
  analyticsMaxDays: 400,
  experimentMinUsersPerVariant: 100,
};

/** Name of each setting's environment variable, for the relay's configuration loader. */
export const USAGE_ENVIRONMENT_VARIABLES: Record<keyof UsageSettings, string> = {
  maxBodyBytes: 'SWITCHYARD_USAGE_MAX_BODY_BYTES',
  maxEntriesPerBatch: 'SWITCHYARD_USAGE_MAX_ENTRIES_PER_BATCH',
  maxUserIdsPerEntry: 'SWITCHYARD_USAGE_MAX_USER_IDS_PER_ENTRY',
  maxSketchesPerBatch: 'SWITCHYARD_USAGE_MAX_SKETCHES_PER_BATCH',
  maxCountPerEntry: 'SWITCHYARD_USAGE_MAX_COUNT_PER_ENTRY',
  maxValue: 'SWITCHYARD_USAGE_MAX_VALUE',
  maxOutcomesPerFlagHour: 'SWITCHYARD_USAGE_MAX_OUTCOMES_PER_FLAG_HOUR',
  outcomeNameCacheFlagHours: 'SWITCHYARD_USAGE_OUTCOME_NAME_CACHE_FLAG_HOURS',
  maxMetadataBytes: 'SWITCHYARD_USAGE_MAX_METADATA_BYTES',
  maxClockSkewSeconds: 'SWITCHYARD_USAGE_MAX_CLOCK_SKEW_SECONDS',
  flushIntervalMs: 'SWITCHYARD_USAGE_FLUSH_INTERVAL_MS',
  maxPendingKeys: 'SWITCHYARD_USAGE_MAX_PENDING_KEYS',
  exactUniqueLimit: 'SWITCHYARD_USAGE_EXACT_UNIQUE_LIMIT',
  retentionDays: 'SWITCHYARD_USAGE_RETENTION_DAYS',
  analyticsMaxDays: 'SWITCHYARD_ANALYTICS_MAX_DAYS',
  experimentMinUsersPerVariant: 'SWITCHYARD_EXPERIMENT_MIN_USERS_PER_VARIANT',
};

/** Reads the settings from environment variables (positive integers), defaults for the rest. */
export function usageSettingsFromEnvironment(environment: NodeJS.ProcessEnv): UsageSettings {
  return readPositiveIntegers(environment, USAGE_ENVIRONMENT_VARIABLES, USAGE_DEFAULTS);
}
