import { numericString, parseIsoDate } from './coercion.js';
import type { FlagLimits } from './flag-limits.js';
import { InputFields } from './input-fields.js';
import { OPERATORS, type JsonPrimitive, type Operator, type TargetingRule } from './model.js';
import { indexPath, isPlainObject, type ProblemList } from './problem-list.js';
import { parseSemVer } from './semver.js';

const CONDITION_FIELDS = ['attribute', 'operator', 'values', 'negate', 'caseInsensitive'] as const;

interface ValueRule {
  /** How many values: `one`, `some` (one or more) or `none`. */
  arity: 'one' | 'some' | 'none';
  what: string;
  accepts: (value: JsonPrimitive) => boolean;
}

const scalar = (v: JsonPrimitive): boolean =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const text = (v: JsonPrimitive): boolean => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const numeric = (v: JsonPrimitive): boolean =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && numericString(v) !== undefined);
const semver = (v: JsonPrimitive): boolean => typeof v === 'string' && parseSemVer(v) !== undefined;
const date = (v: JsonPrimitive): boolean =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && parseIsoDate(v) !== undefined);

const SCALARS: ValueRule = { arity: 'some', what: 'strings, numbers or booleans', accepts: scalar };
const TEXTS: ValueRule = { arity: 'some', what: 'strings (or numbers)', accepts: text };
const NUMBER: ValueRule = { arity: 'one', what: 'a number (or a decimal string)', accepts: numeric };
const SEMVER: ValueRule = { arity: 'one', what: 'a semantic version like "1.2.3"', accepts: semver };
const DATE: ValueRule = { arity: 'one', what: 'an ISO 8601 date or date-time, or epoch milliseconds', accepts: date };
const NONE: ValueRule = { arity: 'none', what: 'no values', accepts: () => false };

/** What each operator accepts as `values`. */
export const OPERATOR_VALUES: Readonly<Record<Operator, ValueRule>> = {
  equals: SCALARS,
  not_equals: SCALARS,
  in: SCALARS,
  not_in: SCALARS,
  contains: TEXTS,
  not_contains: TEXTS,
  starts_with: TEXTS,
  ends_with: TEXTS,
  greater_than: NUMBER,
  greater_than_or_equal: NUMBER,
  less_than: NUMBER,
  less_than_or_equal: NUMBER,
  semver_equals: SEMVER,
  semver_greater_than: SEMVER,
  semver_less_than: SEMVER,
  date_before: DATE,
  date_after: DATE,
  exists: NONE,
  not_exists: NONE,
};

/** Validates one condition (the seed's TargetingRule); undefined when it has problems. */
export function validateCondition(
  input: unknown,
  path: string,
  problems: ProblemList,
  limits: FlagLimits,
): TargetingRule | undefined {
  if (!isPlainObject(input)) {
    problems.add(path, 'a condition {attribute, operator, values}', input);
    return undefined;
  }
  const before = problems.count;
  const fields = new InputFields(input, path, problems);
  fields.onlyKeys(CONDITION_FIELDS);
  const attribute = fields.string('attribute', {
    required: true,
    nonEmpty: true,
    maxLength: limits.maxConditionValueLength,
  });
  const operator = fields.string('operator', {
    required: true,
    maxLength: 64,
    pattern: OPERATOR_PATTERN,
    patternText: `one of ${OPERATORS.join(', ')}`,
  }) as Operator | undefined;
  const negate = fields.boolean('negate');
  const caseInsensitive = fields.boolean('caseInsensitive');
  const values = operator === undefined ? undefined : conditionValues(fields, OPERATOR_VALUES[operator], limits);
  if (problems.count > before || attribute === undefined || operator === undefined || values === undefined)
    return undefined;
  const condition: TargetingRule = { attribute, operator, values };
  if (negate !== undefined) condition.negate = negate;
  if (caseInsensitive !== undefined) condition.caseInsensitive = caseInsensitive;
  return condition;
}

const OPERATOR_PATTERN = new RegExp(`^(?:${OPERATORS.join('|')})$`);

function conditionValues(fields: InputFields, rule: ValueRule, limits: FlagLimits): JsonPrimitive[] | undefined {
  const path = fields.at('values');
  const raw = fields.raw('values');
  if (rule.arity === 'none') {
    if (raw !== undefined && !(Array.isArray(raw) && raw.length === 0))
      fields.problems.add(path, 'no values (omit "values" or give [])', raw);
    return [];
  }
  const list = fields.array('values', { required: true, maxItems: limits.maxConditionValues, what: rule.what });
  if (list === undefined) return undefined;
  if (rule.arity === 'one' && list.length !== 1) {
    fields.problems.addText(path, `exactly one value: ${rule.what}`, `${list.length} values`);
    return undefined;
  }
  if (list.length === 0) {
    fields.problems.addText(path, `at least one value: ${rule.what}`, 'an empty array');
    return undefined;
  }
  let ok = true;
  list.forEach((value, i) => {
    if (typeof value === 'string' && value.length > limits.maxConditionValueLength) {
      fields.problems.add(indexPath(path, i), `at most ${limits.maxConditionValueLength} characters`, value);
      ok = false;
    } else if (!rule.accepts(value as JsonPrimitive)) {
      fields.problems.add(indexPath(path, i), rule.what, value);
      ok = false;
    }
  });
  return ok ? (list.slice() as JsonPrimitive[]) : undefined;
}
