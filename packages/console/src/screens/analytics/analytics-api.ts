import type { ExperimentReport, FlagAnalytics, Granularity } from '@switchyard/protocol';
import type { RelayClient } from '../../api/relay-client.js';

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
