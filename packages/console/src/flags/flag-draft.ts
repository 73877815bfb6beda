import type { Flag } from '@switchyard/core';
import type { StoredFlag } from '../api/types.js';

/** The flag as the console edits it: the canonical model without what the store assigns. */
export function draftOf(stored: StoredFlag): Flag {
  const {
    revision: _revision,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    affectedEnvironments: _affected,
    ...flag
  } = stored;
  return structuredClone(flag);
}

/** JSON with sorted keys, two-space indented: equal flags give equal text, and diffs read well. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Whether two flags have the same configuration (the version is not configuration). */
export function sameConfiguration(a: Flag, b: Flag): boolean {
  return canonicalJson({ ...a, version: 0 }) === canonicalJson({ ...b, version: 0 });
}

/** The parts of a flag that are merged as wholes. */
const FLAG_WIDE_FIELDS = [
  'description',
  'owner',
  'tags',
  'type',
  'variants',
  'offVariant',
  'bucketBy',
  'clientVisible',
] as const;

export interface Reapplied {
  flag: Flag;
  /** Parts both this user and the other person changed: this user's version is kept, to be reviewed. */
  bothChanged: string[];
}

/**
 * Re-applies this user's edits (`base` → `mine`) onto the flag someone else saved (`theirs`): each
 * flag-wide field and each environment's configuration this user changed takes their edit; every
 * other part stays as the other person left it.
 */
export function reapply(base: Flag, mine: Flag, theirs: StoredFlag): Reapplied {
  const flag = draftOf(theirs);
  const fields = flag as unknown as Record<string, unknown>;
  const bothChanged: string[] = [];
  const take = (
    label: string,
    baseValue: unknown,
    mineValue: unknown,
    theirsValue: unknown,
    set: (value: unknown) => void,
  ) => {
    if (canonicalJson(baseValue) === canonicalJson(mineValue)) return;
    if (
      canonicalJson(baseValue) !== canonicalJson(theirsValue) &&
      canonicalJson(mineValue) !== canonicalJson(theirsValue)
    )
      bothChanged.push(label);
    set(structuredClone(mineValue));
  };
  for (const field of FLAG_WIDE_FIELDS) {
    take(field, base[field], mine[field], theirs[field], (value) => {
      if (value === undefined) delete fields[field];
      else fields[field] = value;
    });
  }
  const environments = new Set([...Object.keys(base.environments), ...Object.keys(mine.environments)]);
  for (const name of environments) {
    take(
      `environment ${name}`,
      base.environments[name],
      mine.environments[name],
      theirs.environments[name],
      (value) => {
        if (value === undefined) delete flag.environments[name];
        else flag.environments[name] = value as Flag['environments'][string];
      },
    );
  }
  return { flag, bothChanged };
}
