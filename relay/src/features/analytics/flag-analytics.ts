import {
  addCounters,
  emptyCounters,
  squaredDeviationsOf,
  uniqueDimension,
  type UniqueSetRecord,
  type UsageBucket,
  type UsageCounters,
} from '../../store/usage/usage-store.js';
import type {
  FlagAnalytics,
  Granularity,
  OutcomeAnalytics,
  TimeSeriesPoint,
  VariantAnalytics,
} from '@switchyard/protocol';
import { slotOf, slotsOf, type AnalyticsRange } from './analytics-range.js';
import { UniqueCounters } from './unique-count.js';

export interface AnalyticsInput {
  flagName: string;
  environment: string | null;
  range: AnalyticsRange;
  granularity: Granularity;
  buckets: UsageBucket[];
  uniqueSets: UniqueSetRecord[];
  /** What senders of the environment(s) reported losing in the range (their losses name no flag). */
  droppedBySender: number;
}

/** Pure: folds buckets and unique sets into the report. */
export function buildFlagAnalytics(input: AnalyticsInput): FlagAnalytics {
  const totals = emptyCounters();
  const perSlot = new Map<string, UsageCounters>();
  for (const bucket of input.buckets) {
    addCounters(totals, bucket);
    const slot = slotOf(bucket.hourStart, input.granularity);
    let counters = perSlot.get(slot);
    if (!counters) perSlot.set(slot, (counters = emptyCounters()));
    addCounters(counters, bucket);
  }
  const uniques = new UniqueCounters();
  for (const record of input.uniqueSets) {
    uniques.add(record.dimension, record);
    if (record.dimension === uniqueDimension.users())
      uniques.add(`slot/${slotOf(record.hourStart, input.granularity)}`, record);
  }
  const evaluations = evaluationTotals(totals);
  const users = uniques.get(uniqueDimension.users());
  return {
    flagName: input.flagName,
    environment: input.environment,
    start: input.range.from,
    end: input.range.to,
    granularity: input.granularity,
    ...evaluations,
    uniqueUsers: users.count,
    uniqueUsersExact: users.exact,
    errorCount: sum(Object.values(totals.errors)),
    errors: totals.errors,
    droppedBySender: input.droppedBySender,
    variants: variantAnalytics(totals, uniques),
    outcomes: outcomeAnalytics(totals, uniques),
    timeSeries: slotsOf(input.range, input.granularity).map((start) =>
      timeSeriesPoint(start, perSlot.get(start) ?? emptyCounters(), uniques),
    ),
  };
}

function variantAnalytics(totals: UsageCounters, uniques: UniqueCounters): VariantAnalytics[] {
  return Object.entries(totals.evaluations)
    .map(([variant, counts]) => {
      const variantUsers = uniques.get(uniqueDimension.variantUsers(variant));
      return {
        variant,
        evaluations: counts.enabled + counts.disabled,
        enabledCount: counts.enabled,
        disabledCount: counts.disabled,
        uniqueUsers: variantUsers.count,
        uniqueUsersExact: variantUsers.exact,
      };
    })
    .sort((a, b) => a.variant.localeCompare(b.variant));
}

function timeSeriesPoint(start: string, counters: UsageCounters, uniques: UniqueCounters): TimeSeriesPoint {
  return {
    start,
    ...evaluationTotals(counters),
    errorCount: sum(Object.values(counters.errors)),
    uniqueUsers: uniques.get(`slot/${start}`).count,
    outcomes: Object.fromEntries(
      Object.entries(counters.outcomes).map(([outcome, byVariant]) => [
        outcome,
        sum(Object.values(byVariant).map((t) => t.count)),
      ]),
    ),
  };
}

function evaluationTotals(
  counters: UsageCounters,
): Pick<FlagAnalytics, 'totalEvaluations' | 'enabledCount' | 'disabledCount'> {
  const enabledCount = sum(Object.values(counters.evaluations).map((counts) => counts.enabled));
  const disabledCount = sum(Object.values(counters.evaluations).map((counts) => counts.disabled));
  return { totalEvaluations: enabledCount + disabledCount, enabledCount, disabledCount };
}

function outcomeAnalytics(totals: UsageCounters, uniques: UniqueCounters): OutcomeAnalytics[] {
  return Object.entries(totals.outcomes)
    .map(([outcome, byVariant]) => ({
      outcome,
      count: sum(Object.values(byVariant).map((t) => t.count)),
      byVariant: Object.entries(byVariant)
        .map(([variant, t]) => {
          const converters = uniques.get(uniqueDimension.converters(outcome, variant));
          const exposed = uniques.get(uniqueDimension.variantUsers(variant)).count;
          const mean = t.valueCount > 0 ? t.valueSum / t.valueCount : null;
          const variance = t.valueCount > 1 ? squaredDeviationsOf(t) / (t.valueCount - 1) : null;
          return {
            variant,
            count: t.count,
            uniqueConverters: converters.count,
            uniqueConvertersExact: converters.exact,
            conversionRate: exposed > 0 ? Math.min(1, converters.count / exposed) : null,
            valueCount: t.valueCount,
            valueSum: t.valueSum,
            valueMean: mean,
            valueStandardDeviation: variance === null ? null : Math.sqrt(Math.max(0, variance)),
          };
        })
        .sort((a, b) => a.variant.localeCompare(b.variant)),
    }))
    .sort((a, b) => a.outcome.localeCompare(b.outcome));
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
