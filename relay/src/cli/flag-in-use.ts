import { ANY_ENVIRONMENT, type EnvironmentConfig, type RolloutRule } from '@switchyard/core';
import type { FlagAnalytics } from '@switchyard/protocol';
import { RelayResponseError } from './cli-errors.js';
import { describeConfig } from './flag-view.js';
import type { RelayFlag, SwitchyardApi } from './switchyard-api.js';

/**
 * Why deleting a flag could change what users get: it is still partly rolled out somewhere, or
 * something evaluated it recently. Each reason is one clause for a warning or a refusal.
 */
export async function reasonsFlagIsInUse(
  api: SwitchyardApi,
  flag: RelayFlag,
  days: number,
  environment?: string,
): Promise<string[]> {
  const reasons = partialRollouts(flag, environment).map(
    ([name, config]) =>
      `it is still partly rolled out in ${name === ANY_ENVIRONMENT ? 'every environment without its own configuration' : name} (${describeConfig(config)})`,
  );
  const usage = await recentUsage(api, flag.name, days, environment);
  if (usage !== undefined) reasons.push(usage);
  return reasons;
}

/**
 * Enabled configurations that serve some users and not others: a percentage or gradual rule strictly
 * between 0 and 100, or targeting (user lists, attribute rules).
 */
function partialRollouts(flag: RelayFlag, environment?: string): [string, EnvironmentConfig][] {
  return Object.entries(flag.environments ?? {})
    .filter(
      ([name, config]) =>
        (environment === undefined || name === environment) && config.enabled && (config.rules ?? []).some(servesSome),
    )
    .sort(([a], [b]) => a.localeCompare(b));
}

function servesSome(rule: RolloutRule): boolean {
  if (rule.strategy === 'percentage' || rule.strategy === 'gradual') {
    const percentage = rule.percentage ?? 0;
    return percentage > 0 && percentage < 100;
  }
  return true;
}

/** "it was evaluated 40 times in the last 7 days (most recently …)", nothing when it was not, or why it cannot be told. */
async function recentUsage(
  api: SwitchyardApi,
  name: string,
  days: number,
  environment?: string,
): Promise<string | undefined> {
  let report: FlagAnalytics;
  try {
    report = (await api.analytics(name, days, environment)) as unknown as FlagAnalytics;
  } catch (error) {
    if (error instanceof RelayResponseError && error.status === 403)
      return `whether it is still evaluated is unknown (${error.message})`;
    throw error;
  }
  if (report.totalEvaluations === 0) return undefined;
  const last = report.timeSeries.filter((point) => point.totalEvaluations > 0).at(-1)?.start;
  const where = environment ? ` in ${environment}` : '';
  const times = report.totalEvaluations === 1 ? 'once' : `${report.totalEvaluations} times`;
  return `it was evaluated ${times}${where} in the last ${days} days${last ? ` (most recently in the ${report.granularity} starting ${last})` : ''}`;
}
