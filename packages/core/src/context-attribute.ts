import type { EvaluationContext } from './model.js';

/**
 * The context's value for a rule's attribute. `targetingKey` and `userId` name the same thing
 * (the seed's user id is OpenFeature's targeting key), so each falls back to the other.
 * Returns whatever is there, possibly hostile: callers decide what they can use.
 */
export function readAttribute(context: EvaluationContext, name: string): unknown {
  const value = context[name];
  return value !== undefined && value !== null ? value : aliasOrAbsent(context, name, value);
}

/** What readAttribute gives when the context's own `value` of `name` is undefined or null. */
export function aliasOrAbsent(context: EvaluationContext, name: string, value: unknown): unknown {
  if (name === 'targetingKey') return context['userId'];
  if (name === 'userId') return context.targetingKey;
  return value;
}

/** An attribute's value as a bucketing key: a non-empty string, or a finite number as its decimal string. */
export function bucketKeyOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A value a condition can compare: strings, booleans, numbers (not NaN) and valid Dates. */
export type Scalar = string | number | boolean | Date;

export function isScalar(value: unknown): value is Scalar {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(value);
    case 'object':
      return value instanceof Date && !Number.isNaN(value.getTime());
    default:
      return false;
  }
}

/** Present for conditions: a scalar or an array (even empty). null, NaN, objects, functions are absent. */
export function isPresent(value: unknown): boolean {
  return isScalar(value) || Array.isArray(value);
}
