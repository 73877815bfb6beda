import type { EnvironmentConfig, Flag, RolloutRule, TargetingRule } from '@switchyard/core';
import { ANY_ENVIRONMENT, environmentConfig } from '@switchyard/core';
import type { Output } from './output.js';
import type { RelayFlag } from './switchyard-api.js';

/** How flags read in a terminal: one-line rule summaries, environment tables, key/value blocks. */

const SECONDS_PER_DAY = 86_400;

function describeRule(rule: RolloutRule): string {
  const label = rule.name ? `${rule.name}: ` : '';
  const variant = rule.variant ? ` → ${rule.variant}` : '';
  return `${label}${describeStrategy(rule)}${variant}`;
}

function describeStrategy(rule: RolloutRule): string {
  switch (rule.strategy) {
    case 'percentage':
      return `${rule.percentage ?? 0}% of users`;
    case 'user_list':
      return `users ${listed(rule.userIds ?? [])}`;
    case 'user_attribute': {
      const joiner = rule.match === 'any' ? ' OR ' : ' AND ';
      const share = rule.percentage !== undefined && rule.percentage < 100 ? ` (${rule.percentage}%)` : '';
      return `${(rule.targetingRules ?? []).map(describeCondition).join(joiner) || 'everyone'}${share}`;
    }
    case 'gradual': {
      const period = periodText(rule.gradualPeriodSeconds ?? SECONDS_PER_DAY);
      const paused = rule.paused ? ', paused' : '';
      return `gradual ${rule.percentage ?? 0}% +${rule.gradualIncrement ?? 0}%/${period} up to ${rule.maxPercentage ?? 100}%${paused}`;
    }
    default:
      return String(rule.strategy);
  }
}

function describeCondition(condition: TargetingRule): string {
  const not = condition.negate ? 'NOT ' : '';
  const values = condition.values.map((value) => JSON.stringify(value)).join(',');
  return `${not}${condition.attribute} ${condition.operator}${values ? ` ${values}` : ''}`;
}

function periodText(seconds: number): string {
  if (seconds % SECONDS_PER_DAY === 0) return seconds === SECONDS_PER_DAY ? 'day' : `${seconds / SECONDS_PER_DAY}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${seconds}s`;
}

function listed(items: string[], shown = 3): string {
  const head = items.slice(0, shown).join(', ');
  return items.length > shown ? `${head} (+${items.length - shown})` : head || '(none)';
}

/** "50% of users; then serve" — what an environment does, in one line. */
export function describeConfig(config: EnvironmentConfig | undefined): string {
  if (!config) return 'not configured';
  const rules = (config.rules ?? []).map(describeRule);
  const served = config.fallthrough?.variant ? `: ${config.fallthrough.variant}` : '';
  const fallthrough = config.fallthrough?.serve
    ? rules.length === 0
      ? `everyone${served}`
      : `everyone else${served}`
    : rules.length === 0
      ? 'nobody served'
      : '';
  return [...rules, fallthrough].filter(Boolean).join('; ');
}

/** The flag in full: its fields, variants and one row per environment. */
export function printFlag(out: Output, flag: RelayFlag, environment?: string): void {
  out.fields([
    ['name', out.bold(flag.name)],
    ['description', flag.description || out.dim('-')],
    ['type', flag.type],
    ['version', String(flag.version)],
    ['tags', flag.tags?.length ? flag.tags.join(', ') : out.dim('-')],
    ...(flag.owner ? ([['owner', flag.owner]] as [string, string][]) : []),
    ['clients', clientVisibility(flag)],
    ['updated', flag.updatedAt ?? out.dim('-')],
  ]);
  if (flag.variants?.length) {
    out.line();
    out.table(
      [
        { header: 'VARIANT', value: (variant) => variant.name },
        { header: 'WEIGHT', value: (variant) => `${variant.weight}%` },
        { header: 'VALUE', value: (variant) => JSON.stringify(variant.value) },
      ],
      flag.variants,
      '',
    );
  }
  out.line();
  out.table(
    [
      { header: 'ENVIRONMENT', value: ([name]) => (name === ANY_ENVIRONMENT ? '* (any other)' : name) },
      { header: 'ENABLED', value: ([, config]) => out.onOff(config?.enabled) },
      { header: 'ROLLOUT', value: ([, config]) => describeConfig(config) },
    ],
    environmentRows(flag, environment),
    'no environments configured',
  );
}

function environmentRows(flag: Flag, environment?: string): [string, EnvironmentConfig | undefined][] {
  if (environment) return [[environment, environmentConfig(flag, environment)]];
  return Object.entries(flag.environments ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

/** "production:on staging:off" — every environment's switch, for list rows. */
export function environmentSwitches(out: Output, flag: Flag): string {
  const entries = environmentRows(flag);
  if (entries.length === 0) return out.dim('-');
  return entries.map(([name, config]) => `${name}:${out.onOff(config?.enabled)}`).join(' ');
}

/** Whether client keys see the flag: "visible", "hidden" (server keys only), or the relay's default. */
function clientVisibility(flag: Pick<Flag, 'clientVisible'>): string {
  if (flag.clientVisible === undefined) return 'relay default (SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT)';
  return flag.clientVisible ? 'visible' : 'hidden (server keys only)';
}

/** The line every writing command prints: which environments the write changed. */
export function affectedLine(out: Output, environments: readonly string[] | undefined): string {
  return `Affected environments: ${environments && environments.length > 0 ? environments.join(', ') : out.dim('none')}`;
}
