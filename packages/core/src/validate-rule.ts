import { parseIsoDate } from './coercion.js';
import type { FlagLimits } from './flag-limits.js';
import { InputFields } from './input-fields.js';
import { ROLLOUT_STRATEGIES, type RolloutRule, type RolloutStrategy, type TargetingRule } from './model.js';
import { indexPath, isPlainObject, type ProblemList } from './problem-list.js';
import { validateCondition } from './validate-condition.js';

const RULE_FIELDS = [
  'name',
  'strategy',
  'percentage',
  'userIds',
  'targetingRules',
  'match',
  'startDate',
  'gradualIncrement',
  'gradualPeriodSeconds',
  'maxPercentage',
  'paused',
  'lastStepAt',
  'variant',
  'bucketBy',
] as const;

/** What a rule may refer to: the flag's variant names. */
export interface RuleScope {
  variantNames: ReadonlySet<string>;
  limits: FlagLimits;
}

const STRATEGY_PATTERN = new RegExp(`^(?:${ROLLOUT_STRATEGIES.join('|')})$`);
const ISO_TEXT = 'an ISO 8601 date-time like "2026-01-31T09:00:00Z"';

/**
 * Validates one rule (a canonical rule or the seed's rolloutConfig). Fields that do not apply
 * to the rule's strategy are type-checked and then dropped: the seed's serializers write every
 * field (`userIds: []` on a percentage rollout), which is not a mistake.
 */
export function validateRule(
  input: unknown,
  path: string,
  problems: ProblemList,
  scope: RuleScope,
): RolloutRule | undefined {
  if (!isPlainObject(input)) {
    problems.add(path, 'a rule {strategy, ...}', input);
    return undefined;
  }
  const before = problems.count;
  const f = new InputFields(input, path, problems);
  const { limits } = scope;
  f.onlyKeys(RULE_FIELDS);
  const strategy = f.string('strategy', {
    required: true,
    maxLength: 32,
    pattern: STRATEGY_PATTERN,
    patternText: `one of ${ROLLOUT_STRATEGIES.join(', ')}`,
  }) as RolloutStrategy | undefined;
  const rule = { strategy } as RolloutRule;
  assign(rule, 'name', f.string('name', { maxLength: limits.maxRuleNameLength }));
  assign(rule, 'variant', variantReference(f, 'variant', scope));
  assign(rule, 'bucketBy', f.string('bucketBy', { nonEmpty: true, maxLength: limits.maxConditionValueLength }));
  const percentage = f.number('percentage', { min: 0, max: 100, required: strategy === 'percentage' });
  const userIds = readUserIds(f, limits, strategy === 'user_list');
  const conditions = readConditions(f, limits, strategy === 'user_attribute');
  const match = f.string('match', { maxLength: 8, pattern: /^(?:all|any)$/, patternText: '"all" or "any"' }) as
    'all' | 'any' | undefined;
  const gradual = readGradual(f, strategy === 'gradual');
  if (strategy === 'percentage' || strategy === 'gradual' || strategy === 'user_attribute')
    assign(rule, 'percentage', percentage);
  if (strategy === 'user_list') rule.userIds = userIds ?? [];
  if (strategy === 'user_attribute') {
    assign(rule, 'targetingRules', conditions);
    assign(rule, 'match', match);
  }
  if (strategy === 'gradual') Object.assign(rule, gradual);
  return problems.count > before || strategy === undefined ? undefined : rule;
}

/** A variant name field that must name one of the flag's variants. */
export function variantReference(f: InputFields, key: string, scope: RuleScope): string | undefined {
  const name = f.string(key, { maxLength: scope.limits.maxVariantNameLength, nonEmpty: true });
  if (name === undefined || scope.variantNames.has(name)) return name;
  const known = [...scope.variantNames].map((n) => `"${n}"`).join(', ');
  f.problems.add(
    f.at(key),
    scope.variantNames.size === 0
      ? 'no variant (the flag has no variants)'
      : `the name of a variant of this flag: ${known}`,
    name,
  );
  return undefined;
}

function readUserIds(f: InputFields, limits: FlagLimits, required: boolean): string[] | undefined {
  const list = f.array('userIds', { required, maxItems: limits.maxUserIds, what: 'user ids' });
  if (list === undefined) return undefined;
  list.forEach((id, i) => {
    if (typeof id !== 'string' || id.length === 0 || id.length > limits.maxUserIdLength) {
      f.problems.add(
        indexPath(f.at('userIds'), i),
        `a user id: a non-empty string of at most ${limits.maxUserIdLength} characters`,
        id,
      );
    }
  });
  return list.slice() as string[];
}

function readConditions(f: InputFields, limits: FlagLimits, required: boolean): TargetingRule[] | undefined {
  const list = f.array('targetingRules', { required, maxItems: limits.maxConditions, what: 'conditions' });
  if (list === undefined) return undefined;
  if (required && list.length === 0)
    f.problems.addText(f.at('targetingRules'), 'at least one condition', 'an empty array');
  const conditions: TargetingRule[] = [];
  list.forEach((input, i) => {
    const condition = validateCondition(input, indexPath(f.at('targetingRules'), i), f.problems, limits);
    if (condition !== undefined) conditions.push(condition);
  });
  return conditions;
}

function readGradual(f: InputFields, required: boolean): Partial<RolloutRule> {
  const gradual: Partial<RolloutRule> = {};
  assign(gradual, 'startDate', isoDate(f, 'startDate', required));
  assign(gradual, 'gradualIncrement', f.number('gradualIncrement', { min: 0, max: 100, minExclusive: true, required }));
  assign(
    gradual,
    'gradualPeriodSeconds',
    f.number('gradualPeriodSeconds', { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }),
  );
  assign(gradual, 'maxPercentage', f.number('maxPercentage', { min: 0, max: 100 }));
  assign(gradual, 'paused', f.boolean('paused'));
  assign(gradual, 'lastStepAt', isoDate(f, 'lastStepAt', false));
  return gradual;
}

function isoDate(f: InputFields, key: string, required: boolean): string | undefined {
  const value = f.string(key, { required, maxLength: 64, patternText: ISO_TEXT });
  if (value !== undefined && parseIsoDate(value) === undefined) {
    f.problems.add(f.at(key), ISO_TEXT, value);
    return undefined;
  }
  return value;
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
