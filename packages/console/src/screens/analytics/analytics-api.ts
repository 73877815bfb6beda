import type { RelayClient } from '../../api/relay-client.js';

export type Granularity = 'hour' | 'day';

/** `GET /api/v1/feature-flags/{name}/analytics` (docs/analytics.md explains every figure). */
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
  variants: Array<{
    variant: string;
    evaluations: number;
    enabledCount: number;
    disabledCount: number;
    uniqueUsers: number;
  }>;
  outcomes: Array<{ outcome: string; count: number }>;
  timeSeries: Array<{
    start: string;
    totalEvaluations: number;
    enabledCount: number;
    disabledCount: number;
    errorCount: number;
    uniqueUsers: number;
  }>;
}

export interface ExperimentArm {
  variant: string;
  weight: number;
  isControl: boolean;
  users: number;
  converters: number;
  conversionRate: number | null;
  interval: { lower: number; upper: number } | null;
  enoughData: boolean;
  comparison: {
    absoluteDifference: number;
    relativeUplift: number | null;
    zScore: number;
    pValue: number;
    significant: boolean;
  } | null;
  /** The always-valid (mSPRT) reading against the control, safe to read every day; null where comparison is null. */
  sequential: {
    alwaysValidPValue: number;
    confidenceSequence: { lower: number; upper: number };
    significant: boolean;
    verdict: string;
  } | null;
}

/** `GET /api/v1/feature-flags/{name}/experiment`. */
export interface ExperimentReport {
  flagName: string;
  outcome: string;
  status: 'ready' | 'not-enough-data';
  minUsersPerVariant: number;
  control: string;
  arms: ExperimentArm[];
  sampleRatioMismatch: { statistic: number; degreesOfFreedom: number; pValue: number; mismatch: boolean } | null;
  /** Fixed-horizon sample size for the query's mde and power; null while the control has no users or a rate of 0 or 1. */
  sampleSize: {
    minimumDetectableEffect: number;
    power: number;
    usersPerVariant: number;
    additionalUsersPerVariant: Record<string, number>;
  } | null;
  warnings: string[];
}

export interface AnalyticsQuery {
  days: number;
  granularity: Granularity;
  /** Absent: every environment. */
  environment?: string;
}

const flagPath = (name: string) => `/api/v1/feature-flags/${encodeURIComponent(name)}`;

export function flagAnalytics(client: RelayClient, name: string, query: AnalyticsQuery): Promise<FlagAnalytics> {
  return client.request('GET', `${flagPath(name)}/analytics`, { query: { ...query } });
}

export function experimentReport(
  client: RelayClient,
  name: string,
  query: { days: number; environment?: string; outcome: string; control?: string },
): Promise<ExperimentReport> {
  return client.request('GET', `${flagPath(name)}/experiment`, { query: { ...query } });
}
