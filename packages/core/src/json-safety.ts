import type { FlagLimits } from './flag-limits.js';
import { childPath, describeValue, indexPath, isPlainObject, type ProblemList } from './problem-list.js';

/**
 * Checks the whole input is plain JSON a database can store as is: no key that starts with `$`
 * or contains `.` (MongoDB would read them as operators or paths), no `__proto__` key, no
 * functions, Dates, class instances, NaN or Infinity, no cycles, bounded depth.
 * Returns false when the input cannot be walked further safely (a cycle or too deep).
 */
export function checkJsonSafety(value: unknown, path: string, problems: ProblemList, limits: FlagLimits): boolean {
  return walk(value, path, 0, { problems, limits, ancestors: new Set() });
}

/** What every step of one walk shares: where problems go, the limits, the objects above this one. */
interface Walk {
  problems: ProblemList;
  limits: FlagLimits;
  ancestors: Set<object>;
}

function walk(value: unknown, path: string, depth: number, state: Walk): boolean {
  const { problems, limits, ancestors } = state;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.add(path, 'a finite number', value);
    return true;
  }
  if (typeof value !== 'object') {
    problems.add(path, 'a JSON value', value);
    return true;
  }
  if (depth >= limits.maxDepth) {
    problems.add(path, `at most ${limits.maxDepth} levels of nesting`);
    return false;
  }
  if (ancestors.has(value)) {
    problems.add(path, 'JSON without cycles');
    return false;
  }
  ancestors.add(value);
  const ok = Array.isArray(value) ? walkArray(value, path, depth, state) : walkObject(value, path, depth, state);
  ancestors.delete(value);
  return ok;
}

function walkArray(value: unknown[], path: string, depth: number, state: Walk): boolean {
  for (let i = 0; i < value.length; i++) {
    if (!walk(value[i], indexPath(path, i), depth + 1, state)) return false;
  }
  return true;
}

function walkObject(value: object, path: string, depth: number, state: Walk): boolean {
  const { problems } = state;
  if (!isPlainObject(value)) {
    problems.addText(
      path,
      'a plain JSON object',
      value instanceof Date ? 'a Date (use an ISO 8601 string)' : describeValue(value),
    );
    return true;
  }
  for (const key of Object.keys(value)) {
    const keyPath = childPath(path, key);
    if (key.startsWith('$') || key.includes('.')) {
      problems.add(
        keyPath,
        'a key that neither starts with "$" nor contains "." (such keys are database operators or paths)',
      );
    } else if (key === '__proto__') {
      problems.add(keyPath, 'a key other than "__proto__"');
    }
    const child: unknown = value[key as keyof typeof value];
    // An undefined property is an absent one (JSON.stringify drops it); validation treats it so.
    if (child === undefined) continue;
    if (!walk(child, keyPath, depth + 1, state)) return false;
  }
  return true;
}
