import { environmentConfig, type EnvironmentConfig, type Flag, type RolloutRule } from '@switchyard/core';

/** A flag's state in one environment, at a glance. */
export interface EnvironmentState {
  /** `absent`: no configuration applies (the flag is off there). */
  status: 'on' | 'off' | 'absent';
  /** Short words: "25%", "gradual 30% of 80%", "3 users + 10%", "everyone". */
  summary: string;
  /** The served share in percent, when it does not depend on who the users are. */
  share: number | undefined;
  /** The first gradual rule, when there is one. */
  gradual: RolloutRule | undefined;
}

export function environmentState(flag: Flag, environment: string): EnvironmentState {
  const config = environmentConfig(flag, environment);
  if (config === undefined) return { status: 'absent', summary: 'not configured', share: 0, gradual: undefined };
  const gradual = config.rules.find((rule) => rule.strategy === 'gradual');
  if (!config.enabled) return { status: 'off', summary: 'off', share: 0, gradual };
  return { status: 'on', summary: summaryOf(config), share: servedShare(config), gradual };
}

function summaryOf(config: EnvironmentConfig): string {
  const parts = config.rules.map(ruleSummary);
  if (config.fallthrough.serve) parts.push(config.rules.length === 0 ? 'everyone' : 'everyone else');
  return parts.length === 0 ? 'nobody' : parts.join(' + ');
}

function ruleSummary(rule: RolloutRule): string {
  switch (rule.strategy) {
    case 'percentage':
      return `${rule.percentage ?? 0}%`;
    case 'gradual':
      return `gradual ${rule.percentage ?? 0}% of ${rule.maxPercentage ?? 100}%${rule.paused ? ' (paused)' : ''}`;
    case 'user_list':
      return `${rule.userIds?.length ?? 0} user${rule.userIds?.length === 1 ? '' : 's'}`;
    case 'user_attribute':
      return `${rule.targetingRules?.length ?? 0} condition${rule.targetingRules?.length === 1 ? '' : 's'}${rule.percentage !== undefined && rule.percentage < 100 ? ` at ${rule.percentage}%` : ''}`;
  }
}

/**
 * The share of users an environment serves, in percent, when it does not depend on who they are:
 * percentage and gradual rules all bucket users the same way (the flag's name and one salt), so a
 * user under the highest threshold is served. Lists and attribute rules depend on the users:
 * undefined, unless the fallthrough serves everyone anyway.
 */
export function servedShare(config: EnvironmentConfig | undefined): number | undefined {
  if (config === undefined || !config.enabled) return 0;
  if (config.fallthrough.serve) return 100;
  let share = 0;
  const bucketBy = new Set(config.rules.map((rule) => rule.bucketBy));
  for (const rule of config.rules) {
    if (rule.strategy !== 'percentage' && rule.strategy !== 'gradual') return undefined;
    share = Math.max(share, rule.percentage ?? 0);
  }
  return bucketBy.size > 1 ? undefined : share;
}
