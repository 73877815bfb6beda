import { describe, expect, it } from 'vitest';
import {
  emptyCounters,
  uniqueDimension,
  type OutcomeTotals,
  type UniqueSetRecord,
  type UsageBucket,
} from '../../store/usage/usage-store.js';
import { UsageAggregator } from '../usage/usage-aggregator.js';
import { buildFlagAnalytics } from './flag-analytics.js';

const H0 = '2026-11-24T10:00:00.000Z';
const H1 = '2026-11-24T11:00:00.000Z';
const DAY2 = '2026-11-25T03:00:00.000Z';

function bucket(hourStart: string, overrides: Partial<UsageBucket>): UsageBucket {
  return { flagName: 'checkout', environment: 'production', hourStart, ...emptyCounters(), ...overrides };
}

function users(hourStart: string, dimension: string, exact: string[]): UniqueSetRecord {
  return { flagName: 'checkout', environment: 'production', hourStart, dimension, exact, registers: [] };
}

const outcome = (count: number, valueSum: number, valueSquaredDeviations: number) => ({
  count,
  valueCount: count,
  valueSum,
  valueSquaredDeviations,
});

describe('buildFlagAnalytics', () => {
  const input = {
    flagName: 'checkout',
    environment: 'production',
    range: { from: H0, to: '2026-11-25T04:00:00.000Z' },
    granularity: 'day' as const,
    buckets: [
      bucket(H0, {
        evaluations: { blue: { enabled: 6, disabled: 0 }, '(none)': { enabled: 0, disabled: 4 } },
        errors: { GENERAL: 1 },
      }),
      bucket(H1, {
        evaluations: { blue: { enabled: 2, disabled: 0 } },
        outcomes: { conversion: { blue: outcome(2, 30, 50) } },
      }),
      bucket(DAY2, { evaluations: { blue: { enabled: 1, disabled: 1 } } }),
    ],
    uniqueSets: [
      users(H0, uniqueDimension.users(), ['a', 'b', 'c']),
      users(H1, uniqueDimension.users(), ['c', 'd']),
      users(DAY2, uniqueDimension.users(), ['a']),
      users(H0, uniqueDimension.variantUsers('blue'), ['a', 'b']),
      users(H1, uniqueDimension.variantUsers('blue'), ['c', 'd']),
      users(H1, uniqueDimension.converters('conversion', 'blue'), ['c']),
    ],
    droppedBySender: 0,
  };

  it("when built, then the seed's enabledCount / totalEvaluations works and totals add up", () => {
    const analytics = buildFlagAnalytics(input);
    expect(analytics).toMatchObject({
      totalEvaluations: 14,
      enabledCount: 9,
      disabledCount: 5,
      errorCount: 1,
      uniqueUsers: 4,
      uniqueUsersExact: true,
    });
    expect(analytics.enabledCount / analytics.totalEvaluations).toBeCloseTo(9 / 14, 10);
  });

  it('when built, then variants carry their evaluations and distinct users', () => {
    expect(buildFlagAnalytics(input).variants).toEqual([
      { variant: '(none)', evaluations: 4, enabledCount: 0, disabledCount: 4, uniqueUsers: 0, uniqueUsersExact: true },
      { variant: 'blue', evaluations: 10, enabledCount: 9, disabledCount: 1, uniqueUsers: 4, uniqueUsersExact: true },
    ]);
  });

  it('when outcomes were tracked, then the conversion rate is distinct converters over exposed users', () => {
    const [conversion] = buildFlagAnalytics(input).outcomes;
    expect(conversion).toMatchObject({ outcome: 'conversion', count: 2 });
    // values 10 and 20: mean 15, sample standard deviation sqrt(50) = 7.071
    expect(conversion?.byVariant[0]).toMatchObject({
      variant: 'blue',
      uniqueConverters: 1,
      conversionRate: 0.25,
      valueMean: 15,
    });
    expect(conversion?.byVariant[0]?.valueStandardDeviation).toBeCloseTo(Math.sqrt(50), 10);
  });

  it('when values are large (1000000001, 1000000002, 1000000003 over two hours), then the standard deviation is 1, not 0', () => {
    const aggregator = new UsageAggregator(100);
    aggregator.addOutcome(aggregator.bucket('production', 'checkout', H0), 'revenue', 'blue', 1000000001);
    for (const value of [1000000002, 1000000003])
      aggregator.addOutcome(aggregator.bucket('production', 'checkout', H1), 'revenue', 'blue', value);
    const [revenue] = buildFlagAnalytics({ ...input, buckets: aggregator.drain().counters, uniqueSets: [] }).outcomes;
    expect(revenue?.byVariant[0]).toMatchObject({ valueCount: 3, valueMean: 1000000002, valueStandardDeviation: 1 });
  });

  it('when a bucket was stored with a sum of squares (before M2), then it still reads', () => {
    const legacy = { count: 2, valueCount: 2, valueSum: 30, valueSumOfSquares: 500 } as unknown as OutcomeTotals;
    const [conversion] = buildFlagAnalytics({
      ...input,
      buckets: [bucket(H1, { outcomes: { conversion: { blue: legacy } } })],
    }).outcomes;
    expect(conversion?.byVariant[0]?.valueStandardDeviation).toBeCloseTo(Math.sqrt(50), 10);
  });

  it('when grouped by day, then every day of the range has a point, empty ones included', () => {
    const series = buildFlagAnalytics(input).timeSeries;
    expect(series.map((point) => [point.start, point.totalEvaluations, point.uniqueUsers])).toEqual([
      ['2026-11-24T00:00:00.000Z', 12, 4],
      ['2026-11-25T00:00:00.000Z', 2, 1],
    ]);
    expect(series[0]?.outcomes).toEqual({ conversion: 2 });
  });

  it('when grouped by hour, then empty hours are zero', () => {
    const series = buildFlagAnalytics({ ...input, granularity: 'hour' }).timeSeries;
    expect(series).toHaveLength(18);
    expect(series[2]).toMatchObject({ start: '2026-11-24T12:00:00.000Z', totalEvaluations: 0, uniqueUsers: 0 });
  });
});
