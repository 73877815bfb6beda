import { InvalidArgumentError, type Command } from 'commander';
import type { JsonPrimitive, JsonValue, TargetingRule, Variant } from '@switchyard/core';
import { FLAG_VALUE_TYPES, OPERATORS, ROLLOUT_STRATEGIES, type FlagValueType } from '@switchyard/core';
import { UsageError } from './cli-errors.js';

/**
 * Flag settings from command-line options, in the seed's words (`rolloutConfig`, `userIds`,
 * `targetingRules`, `variants`), as the partial flag the relay's PATCH/POST accept.
 */

export interface FlagSettingOptions {
  description?: string;
  owner?: string;
  tags?: string;
  type?: string;
  strategy?: string;
  percentage?: number;
  users?: string;
  rule?: string[];
  match?: string;
  variant?: string[];
  startDate?: string;
  increment?: number;
  period?: number;
  maxPercentage?: number;
  clientVisible?: boolean;
}

/** Adds the options `create` and `update` share. */
export function addFlagSettingOptions(command: Command): Command {
  return command
    .option('--description <text>', 'what the flag is for')
    .option('--owner <owner>', 'who answers for the flag')
    .option('--tags <tags>', 'comma-separated tags, e.g. checkout,team-payments')
    .option(
      '--type <type>',
      `value type: ${FLAG_VALUE_TYPES.join(', ')} (default: boolean, or what --variant values are)`,
    )
    .option('--strategy <strategy>', `rollout strategy: ${ROLLOUT_STRATEGIES.join(', ')}`)
    .option('--percentage <percent>', 'share of users served, 0..100', parsePercent)
    .option('--users <ids>', 'comma-separated user ids served (strategy user_list)')
    .option('--rule <rule>', 'targeting rule "attribute operator value[,value…]" (repeatable)', collect, [])
    .option('--match <all|any>', 'targeting rules: all must match (default) or any')
    .option('--variant <variant>', 'variant "name:weight[=value]", value JSON or text (repeatable)', collect, [])
    .option('--start-date <iso>', 'gradual rollout start, ISO 8601 (default: now)')
    .option('--increment <percent>', 'gradual: percent added per period', parsePercent)
    .option('--period <seconds>', 'gradual: period length in seconds (default 86400)', parsePositiveInt)
    .option('--max-percentage <percent>', 'gradual: ceiling (default 100)', parsePercent)
    .option(
      '--client-visible <true|false>',
      "whether client keys (browsers) may see the flag; false keeps it server-only (default: the relay's SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT)",
      parseOnOff,
    );
}

/** The partial flag the options describe; empty when none was given. */
export function flagSettingsFrom(options: FlagSettingOptions): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  if (options.description !== undefined) settings.description = options.description;
  if (options.owner !== undefined) settings.owner = options.owner;
  if (options.tags !== undefined) settings.tags = splitList(options.tags);
  if (options.type !== undefined) settings.type = options.type;
  if (options.clientVisible !== undefined) settings.clientVisible = options.clientVisible;
  if (options.variant && options.variant.length > 0) {
    const variants = options.variant.map(parseVariant);
    settings.variants = variants;
    settings.type ??= valueTypeOfAll(variants.map((variant) => variant.value));
  }
  const rolloutConfig = rolloutConfigFrom(options);
  if (Object.keys(rolloutConfig).length > 0) settings.rolloutConfig = rolloutConfig;
  return settings;
}

function rolloutConfigFrom(options: FlagSettingOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const strategy = options.strategy ?? impliedStrategy(options);
  if (strategy !== undefined) {
    if (!(ROLLOUT_STRATEGIES as readonly string[]).includes(strategy)) {
      throw new UsageError(`--strategy "${strategy}" is not one of ${ROLLOUT_STRATEGIES.join(', ')}`);
    }
    config.strategy = strategy;
  }
  if (options.percentage !== undefined) config.percentage = options.percentage;
  if (options.users !== undefined) config.userIds = splitList(options.users);
  if (options.rule && options.rule.length > 0) config.targetingRules = options.rule.map(parseRule);
  if (options.match !== undefined) {
    if (options.match !== 'all' && options.match !== 'any')
      throw new UsageError(`--match must be "all" or "any", not "${options.match}"`);
    config.match = options.match;
  }
  if (options.startDate !== undefined) config.startDate = isoDate(options.startDate);
  else if (strategy === 'gradual') config.startDate = new Date().toISOString();
  if (options.increment !== undefined) config.gradualIncrement = options.increment;
  if (options.period !== undefined) config.gradualPeriodSeconds = options.period;
  if (options.maxPercentage !== undefined) config.maxPercentage = options.maxPercentage;
  return config;
}

/** The strategy the other options can only mean; none when they fit several. */
function impliedStrategy(options: FlagSettingOptions): string | undefined {
  if (options.increment !== undefined || options.startDate !== undefined || options.maxPercentage !== undefined)
    return 'gradual';
  if (options.users !== undefined) return 'user_list';
  if (options.rule && options.rule.length > 0) return 'user_attribute';
  return undefined;
}

/** The one type all variant values share; `object` when they differ or are JSON objects/arrays. */
function valueTypeOfAll(values: JsonValue[]): FlagValueType {
  const types = new Set(values.map((value) => (value === null || typeof value === 'object' ? 'object' : typeof value)));
  const [only] = types;
  return types.size === 1 && (only === 'boolean' || only === 'string' || only === 'number') ? only : 'object';
}

/** "plan in premium,enterprise" → {attribute: plan, operator: in, values: [premium, enterprise]}. */
export function parseRule(text: string): TargetingRule {
  const match = /^\s*(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(text);
  if (!match)
    throw new UsageError(
      `--rule "${text}" should read "attribute operator value[,value…]", e.g. "plan in premium,enterprise"`,
    );
  const [, attribute = '', operator = '', rest] = match;
  if (!(OPERATORS as readonly string[]).includes(operator)) {
    throw new UsageError(`--rule "${text}": operator "${operator}" is not one of ${OPERATORS.join(', ')}`);
  }
  const values = rest === undefined || rest.trim() === '' ? [] : splitList(rest).map(parseScalar);
  return { attribute, operator: operator as TargetingRule['operator'], values };
}

/** "control:50" or 'treatment:50={"color":"green"}' → a variant. */
export function parseVariant(text: string): Variant {
  const match = /^([^:=]+):([^=]+)(?:=(.*))?$/s.exec(text);
  const weight = match ? Number(match[2]) : Number.NaN;
  if (!match || !Number.isFinite(weight)) {
    throw new UsageError(`--variant "${text}" should read "name:weight[=value]", e.g. 'control:50={"color":"blue"}'`);
  }
  const name = (match[1] ?? '').trim();
  const value = match[3] === undefined ? name : parseJsonOrText(match[3]);
  return { name, value, weight };
}

/** `80` → 80, `true` → true, `null` → null, anything else stays text. */
export function parseScalar(text: string): JsonPrimitive {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (trimmed === 'null') return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

function parseJsonOrText(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function isoDate(text: string): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--start-date "${text}" is not a date: use ISO 8601, e.g. 2026-01-31T09:00:00Z`);
  return date.toISOString();
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parsePercent(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new InvalidArgumentError('expected a percentage from 0 to 100.');
  }
  return value;
}

export function parsePositiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return value;
}

function parseOnOff(text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new InvalidArgumentError('expected true or false');
}
