import { isPresent, isScalar, readAttribute, type Scalar } from './context-attribute.js';
import { numericString, toEpochMs, toNumber } from './coercion.js';
import type { EvaluationContext, JsonPrimitive, Operator, TargetingRule } from './model.js';
import { compareSemVer, parseSemVer } from './semver.js';

/** A compiled condition: true when the context satisfies it. Never throws on its own account. */
export type ConditionTest = (context: EvaluationContext) => boolean;
/** A compiled condition applied to the attribute's value (as readAttribute gives it). */
export type ValueTest = (value: unknown) => boolean;
type ScalarTest = (value: Scalar) => boolean;

/** Operators that are the negation of another; `negate` on them negates back. */
const NEGATED_OPERATORS: ReadonlySet<Operator> = new Set<Operator>(['not_equals', 'not_in', 'not_contains']);

/** Compiles a validated condition on a context (see compileValueTest). */
export function compileCondition(condition: TargetingRule): ConditionTest {
  const test = compileValueTest(condition);
  const attribute = condition.attribute;
  return (context) => test(readAttribute(context, attribute));
}

/**
 * Compiles a validated condition on its attribute's value. A missing attribute (absent, null, NaN,
 * an object) fails the condition whatever `negate` says; `exists`/`not_exists` are the only
 * operators about absence. An array attribute satisfies an operator when one of its elements does.
 */
export function compileValueTest(condition: TargetingRule): ValueTest {
  return withStringFastPath(stringFastPath(condition), generalValueTest(condition));
}

/** compileValueTest without the string fast path: what a compiled condition runs for anything else. */
export function generalValueTest(condition: TargetingRule): ValueTest {
  const operator = condition.operator;
  const negate = condition.negate === true;
  if (operator === 'exists' || operator === 'not_exists') {
    const wantPresent = (operator === 'exists') !== negate;
    return (value) => isPresent(value) === wantPresent;
  }
  const inverted = NEGATED_OPERATORS.has(operator) !== negate;
  return onValues(compileScalarTest(operator, condition.values, condition.caseInsensitive === true), inverted);
}

/** The commonest conditions, which evaluation decides on a string attribute in place (see stringFastPath). */
type StringMatch = typeof STRING_EQUALS_ONE | typeof STRING_IN_FEW | typeof STRING_CONTAINS;
/** Equal to `parts[0]`. */
export const STRING_EQUALS_ONE = 1;
/** Equal to one of `parts` (at most SMALL_LIST strings, compared one by one). */
export const STRING_IN_FEW = 2;
/** Contains `parts[0]`. */
export const STRING_CONTAINS = 3;

export interface StringFastPath {
  readonly match: StringMatch;
  readonly parts: readonly string[];
  /** The outcome is negated (not_equals, not_in, not_contains, or `negate`). */
  readonly inverted: boolean;
}

/**
 * For the commonest conditions (equality with a few strings, one substring; case-sensitive): how
 * a string attribute is decided in place; anything else goes to the condition's general test.
 */
export function stringFastPath(condition: TargetingRule): StringFastPath | undefined {
  const operator = condition.operator;
  const parts = condition.values;
  if (condition.caseInsensitive === true || !parts.every((v) => typeof v === 'string')) return undefined;
  const inverted = NEGATED_OPERATORS.has(operator) !== (condition.negate === true);
  const strings = parts as readonly string[];
  switch (operator) {
    case 'equals':
    case 'not_equals':
    case 'in':
    case 'not_in':
      if (strings.length === 1) return { match: STRING_EQUALS_ONE, parts: strings, inverted };
      return strings.length > SMALL_LIST ? undefined : { match: STRING_IN_FEW, parts: strings, inverted };
    case 'contains':
    case 'not_contains':
      return strings.length === 1 ? { match: STRING_CONTAINS, parts: strings, inverted } : undefined;
    default:
      return undefined;
  }
}

/** `general`, deciding string attributes in place where `fast` says how: one call, not two. */
function withStringFastPath(fast: StringFastPath | undefined, general: ValueTest): ValueTest {
  if (fast === undefined) return general;
  const { parts, inverted } = fast;
  const first = parts[0]!;
  switch (fast.match) {
    case STRING_EQUALS_ONE:
      return (value) => (typeof value === 'string' ? (value === first) !== inverted : general(value));
    case STRING_IN_FEW:
      return (value) => {
        if (typeof value !== 'string') return general(value);
        for (let i = 0; i < parts.length; i++) if (parts[i] === value) return !inverted;
        return inverted;
      };
    case STRING_CONTAINS:
      return (value) => (typeof value === 'string' ? value.includes(first) !== inverted : general(value));
  }
}

/** A scalar test applied to an attribute's value: scalars directly, arrays by any element, anything else fails. */
function onValues(test: ScalarTest, inverted: boolean): ValueTest {
  return (value) => {
    if (isScalar(value)) return test(value) !== inverted;
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      if (isScalar(element) && test(element)) return !inverted;
    }
    return inverted;
  };
}

function compileScalarTest(operator: Operator, values: readonly JsonPrimitive[], caseInsensitive: boolean): ScalarTest {
  switch (operator) {
    case 'equals':
    case 'not_equals':
    case 'in':
    case 'not_in':
      return equalityTest(values, caseInsensitive);
    case 'contains':
    case 'not_contains':
      return textTest(values, caseInsensitive, (text, part) => text.includes(part));
    case 'starts_with':
      return textTest(values, caseInsensitive, (text, part) => text.startsWith(part));
    case 'ends_with':
      return textTest(values, caseInsensitive, (text, part) => text.endsWith(part));
    case 'greater_than':
      return numberTest(values, (a, b) => a > b);
    case 'greater_than_or_equal':
      return numberTest(values, (a, b) => a >= b);
    case 'less_than':
      return numberTest(values, (a, b) => a < b);
    case 'less_than_or_equal':
      return numberTest(values, (a, b) => a <= b);
    case 'semver_equals':
      return semverTest(values, (c) => c === 0);
    case 'semver_greater_than':
      return semverTest(values, (c) => c > 0);
    case 'semver_less_than':
      return semverTest(values, (c) => c < 0);
    case 'date_before':
      return dateTest(values, (a, b) => a < b);
    case 'date_after':
      return dateTest(values, (a, b) => a > b);
    default:
      return () => false;
  }
}

/**
 * Equality with the documented coercions: same-typed values compare strictly (strings
 * case-insensitively on request); a number equals a decimal string of the same number; a boolean
 * equals the string `"true"`/`"false"`; a Date equals its epoch milliseconds.
 */
/** Up to this many strings, equality compares them one by one instead of through a Set. */
const SMALL_LIST = 8;

function equalityTest(values: readonly JsonPrimitive[], caseInsensitive: boolean): ScalarTest {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const numbersGivenAsNumbers = new Set<number>();
  const booleans = new Set<boolean>();
  for (const v of values) {
    if (typeof v === 'string') {
      const s = caseInsensitive ? v.toLowerCase() : v;
      strings.add(s);
      const n = numericString(v);
      if (n !== undefined) numbers.add(n);
      if (s === 'true' || s === 'false') booleans.add(s === 'true');
    } else if (typeof v === 'number') {
      numbers.add(v);
      numbersGivenAsNumbers.add(v);
    } else if (typeof v === 'boolean') {
      booleans.add(v);
      strings.add(String(v));
    }
  }
  return (value) => {
    switch (typeof value) {
      case 'string': {
        if (strings.has(caseInsensitive ? value.toLowerCase() : value)) return true;
        if (numbersGivenAsNumbers.size === 0) return false;
        const n = numericString(value);
        return n !== undefined && numbersGivenAsNumbers.has(n);
      }
      case 'number':
        return numbers.has(value);
      case 'boolean':
        return booleans.has(value);
      default:
        return numbers.has(value.getTime());
    }
  };
}

/** Substring operators: strings, and numbers and booleans as their decimal / `true` text. */
function textTest(
  values: readonly JsonPrimitive[],
  caseInsensitive: boolean,
  test: (text: string, part: string) => boolean,
): ScalarTest {
  const parts = values.map((v) => (caseInsensitive ? String(v).toLowerCase() : String(v)));
  return (value) => {
    if (value instanceof Date) return false;
    const text = typeof value === 'string' ? (caseInsensitive ? value.toLowerCase() : value) : String(value);
    for (let i = 0; i < parts.length; i++) if (test(text, parts[i]!)) return true;
    return false;
  };
}

function numberTest(values: readonly JsonPrimitive[], compare: (a: number, b: number) => boolean): ScalarTest {
  const target = toNumber(values[0]);
  if (target === undefined) return () => false;
  return (value) => {
    const n = toNumber(value);
    return n !== undefined && compare(n, target);
  };
}

function semverTest(values: readonly JsonPrimitive[], accept: (comparison: number) => boolean): ScalarTest {
  const target = typeof values[0] === 'string' ? parseSemVer(values[0]) : undefined;
  if (target === undefined) return () => false;
  return (value) => {
    if (typeof value !== 'string') return false;
    const version = parseSemVer(value);
    return version !== undefined && accept(compareSemVer(version, target));
  };
}

function dateTest(values: readonly JsonPrimitive[], compare: (a: number, b: number) => boolean): ScalarTest {
  const target = toEpochMs(values[0]);
  if (target === undefined) return () => false;
  return (value) => {
    if (typeof value === 'boolean') return false;
    const ms = toEpochMs(value);
    return ms !== undefined && compare(ms, target);
  };
}
