import { z } from 'zod';
import { GRANULARITIES } from '@switchyard/protocol';
import { checkRange, rangeFields } from './analytics-range.js';
import { DEFAULT_PLAN } from './experiment-plan.js';
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
      outcome: z
        .string()
        .min(1)
        .max(256)
        .default('conversion')
        .describe('The tracked outcome counted as a conversion.'),
      control: z
        .string()
        .min(1)
        .max(256)
        .optional()
        .describe("The control variant; the flag's first variant when absent."),
      mde: z.coerce
        .number()
        .min(0.001)
        .max(10)
        .default(DEFAULT_PLAN.minimumDetectableEffect)
        .describe(
          "Minimum detectable effect, relative to the control's rate (0.1 = a 10% uplift): for sampleSize and the always-valid test's mixture. Default 0.1.",
        ),
      power: z.coerce
        .number()
        .min(0.5)
        .max(0.99)
        .default(DEFAULT_PLAN.power)
        .describe('Chance to detect that effect, for sampleSize. Default 0.8.'),
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
  droppedBySender: count.describe(
    'Usage items senders of the environment(s) reported losing in the range: their losses name no flag, so this is not per flag.',
  ),
  variants: z.array(
    z.object({
      variant: z.string(),
      evaluations: count,
      enabledCount: count,
      disabledCount: count,
      uniqueUsers: count,
      uniqueUsersExact: z.boolean(),
    }),
  ),
  outcomes: z.array(
    z.object({
      outcome: z.string(),
      count,
      byVariant: z.array(
        z.object({
          variant: z.string(),
          count,
          uniqueConverters: count,
          uniqueConvertersExact: z.boolean(),
          conversionRate: z.number().nullable(),
          valueCount: count,
          valueSum: z.number(),
          valueMean: z.number().nullable(),
          valueStandardDeviation: z.number().nullable(),
        }),
      ),
    }),
  ),
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
  arms: z.array(
    z.object({
      variant: z.string(),
      weight: z.number(),
      isControl: z.boolean(),
      users: count,
      converters: count,
      usersExact: z
        .boolean()
        .describe(
          "False when `users` is a HyperLogLog estimate (a set past SWITCHYARD_USAGE_EXACT_UNIQUE_LIMIT, or a sender's userSketch).",
        ),
      convertersExact: z.boolean().describe('False when `converters` is a HyperLogLog estimate.'),
      countsExact: z
        .boolean()
        .describe(
          "usersExact and convertersExact, and no sender reported losing usage in the range: false whenever any sender's data was estimated or lost.",
        ),
      conversionRate: z.number().nullable(),
      interval: interval.nullable(),
      enoughData: z.boolean(),
      comparison: z
        .object({
          absoluteDifference: z.number(),
          relativeUplift: z.number().nullable(),
          zScore: z.number(),
          pValue: z.number(),
          significant: z.boolean(),
        })
        .nullable()
        .describe(
          'Fixed-horizon pooled two-proportion z-test against the control: valid when read once, at a sample size fixed in advance. Null for the control, while data is short, or without variation.',
        ),
      sequential: z
        .object({
          alwaysValidPValue: z
            .number()
            .describe('Mixture sequential probability ratio test (mSPRT) p-value: valid however often it is read.'),
          confidenceSequence: interval.describe(
            'Always-valid 95% confidence sequence of the absolute difference (rate − control rate).',
          ),
          mixingStandardDeviation: z
            .number()
            .describe('τ of the normal mixture over the difference: mde × the pooled rate.'),
          significant: z.boolean().describe('alwaysValidPValue < 0.05.'),
          verdict: z.string().describe('One line in plain words: better, worse, too small to matter, or keep running.'),
        })
        .nullable()
        .describe(
          'Always-valid reading against the control, safe to look at every day; null where comparison is null.',
        ),
    }),
  ),
  sampleRatioMismatch: z
    .object({
      statistic: z.number(),
      degreesOfFreedom: count,
      pValue: z.number(),
      mismatch: z.boolean(),
      observedUsers: z.record(z.string(), z.number()),
      expectedUsers: z.record(z.string(), z.number()),
    })
    .nullable(),
  sampleSize: z
    .object({
      minimumDetectableEffect: z.number().describe("The query's mde: relative uplift over the control's rate."),
      power: z.number(),
      significanceLevel: z.number(),
      baselineRate: z.number().describe("The control's conversion rate now."),
      targetRate: z.number().describe('baselineRate × (1 + minimumDetectableEffect).'),
      usersPerVariant: count.describe(
        'Users each variant needs in total for a fixed-horizon two-sided z-test to detect the effect with that power.',
      ),
      additionalUsersPerVariant: z
        .record(z.string(), count)
        .describe('Per compared variant: users still needed (0 once reached).'),
    })
    .nullable()
    .describe(
      "Fixed-horizon sample size for the query's mde and power; null while the control has no users or a rate of 0 or 1.",
    ),
  droppedBySender: count.describe(
    'Usage items senders of the environment(s) reported losing in the range (full buffers, undeliverable batches); above 0, countsExact is false.',
  ),
  warnings: z.array(z.string()),
});

export const staleFlagsReportSchema = z.object({
  days: count,
  since: z.string(),
  generatedAt: z.string(),
  flags: z.array(
    z.object({
      flagName: z.string(),
      owner: z.string().nullable(),
      reason: z.enum(STALE_REASONS),
      lastEvaluatedAt: z.string().nullable(),
      evaluations: count,
      enabledCount: count,
      disabledCount: count,
      createdAt: z.string(),
    }),
  ),
});
