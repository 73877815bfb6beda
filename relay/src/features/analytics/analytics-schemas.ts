import { z } from 'zod';
import { checkRange, GRANULARITIES, rangeFields } from './analytics-range.js';
import { STALE_REASONS } from './stale-flags.js';

/** Query, path and response schemas of the analytics routes (validation and /openapi.json). */
export function flagNameParams(maxFlagNameLength: number) {
  return z.object({ name: z.string().min(1).max(maxFlagNameLength) });
}

const environment = z.string().min(1).max(64).optional().describe('One environment; all environments when absent.');

export function analyticsQuerySchema(maxDays: number) {
  return z
    .object({ ...rangeFields(maxDays), environment, granularity: z.enum(GRANULARITIES).default('day') })
    .superRefine(checkRange(maxDays));
}

export function experimentQuerySchema(maxDays: number) {
  return z
    .object({
      ...rangeFields(maxDays),
      environment,
      outcome: z.string().min(1).max(256).default('conversion').describe('The tracked outcome counted as a conversion.'),
      control: z.string().min(1).max(256).optional().describe('The control variant; the flag\'s first variant when absent.'),
    })
    .superRefine(checkRange(maxDays));
}

export function staleFlagsQuerySchema(maxDays: number) {
  return z.object({ days: z.coerce.number().int().min(1).max(maxDays).default(30) });
}

const count = z.number().int();
const timeSeriesPoint = z.object({
  start: z.string(),
  totalEvaluations: count,
  enabledCount: count,
  disabledCount: count,
  errorCount: count,
  uniqueUsers: count,
  outcomes: z.record(z.string(), count),
});

export const flagAnalyticsSchema = z.object({
  flagName: z.string(),
  environment: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  granularity: z.enum(GRANULARITIES),
  totalEvaluations: count,
  enabledCount: count,
  disabledCount: count,
  uniqueUsers: count,
  uniqueUsersExact: z.boolean(),
  errorCount: count,
  errors: z.record(z.string(), count),
  droppedBySender: count,
  variants: z.array(z.object({
    variant: z.string(), evaluations: count, enabledCount: count, disabledCount: count, uniqueUsers: count, uniqueUsersExact: z.boolean(),
  })),
  outcomes: z.array(z.object({
    outcome: z.string(),
    count,
    byVariant: z.array(z.object({
      variant: z.string(),
      count,
      uniqueConverters: count,
      uniqueConvertersExact: z.boolean(),
      conversionRate: z.number().nullable(),
      valueCount: count,
      valueSum: z.number(),
      valueMean: z.number().nullable(),
      valueStandardDeviation: z.number().nullable(),
    })),
  })),
  timeSeries: z.array(timeSeriesPoint),
});

const interval = z.object({ lower: z.number(), upper: z.number() });

export const experimentReportSchema = z.object({
  flagName: z.string(),
  environment: z.string().nullable(),
  outcome: z.string(),
  start: z.string(),
  end: z.string(),
  method: z.string(),
  status: z.enum(['ready', 'not-enough-data']),
  minUsersPerVariant: count,
  control: z.string(),
  arms: z.array(z.object({
    variant: z.string(),
    weight: z.number(),
    isControl: z.boolean(),
    users: count,
    converters: count,
    usersExact: z.boolean().describe('False when `users` is a HyperLogLog estimate (a set past SWITCHYARD_USAGE_EXACT_UNIQUE_LIMIT, or a sender\'s userSketch).'),
    convertersExact: z.boolean().describe('False when `converters` is a HyperLogLog estimate.'),
    countsExact: z.boolean().describe('usersExact and convertersExact: false whenever any sender\'s data was estimated.'),
    conversionRate: z.number().nullable(),
    interval: interval.nullable(),
    enoughData: z.boolean(),
    comparison: z.object({
      absoluteDifference: z.number(),
      relativeUplift: z.number().nullable(),
      zScore: z.number(),
      pValue: z.number(),
      significant: z.boolean(),
    }).nullable(),
  })),
  sampleRatioMismatch: z.object({
    statistic: z.number(),
    degreesOfFreedom: count,
    pValue: z.number(),
    mismatch: z.boolean(),
    observedUsers: z.record(z.string(), z.number()),
    expectedUsers: z.record(z.string(), z.number()),
  }).nullable(),
  warnings: z.array(z.string()),
});

export const staleFlagsReportSchema = z.object({
  days: count,
  since: z.string(),
  generatedAt: z.string(),
  flags: z.array(z.object({
    flagName: z.string(),
    owner: z.string().nullable(),
    reason: z.enum(STALE_REASONS),
    lastEvaluatedAt: z.string().nullable(),
    evaluations: count,
    enabledCount: count,
    disabledCount: count,
    createdAt: z.string(),
  })),
});
