import type { ANY_ENVIRONMENT } from '@switchyard/core';
import type { FlagQuery, StoredFlag } from './store.js';

// Typed by core's constant (so a change there fails to compile) without a runtime import of core.
export const ANY_ENVIRONMENT_KEY: typeof ANY_ENVIRONMENT = '*';

/** Whether a flag passes the query's filters (not its paging). */
export function matchesFlagQuery(flag: StoredFlag, query: FlagQuery): boolean {
  if (query.environment !== undefined && !hasEnvironment(flag, query.environment)) return false;
  if (query.tag !== undefined && !flag.tags.includes(query.tag)) return false;
  if (query.text !== undefined) {
    const text = query.text.toLowerCase();
    if (!flag.name.toLowerCase().includes(text) && !flag.description.toLowerCase().includes(text)) return false;
  }
  return true;
}

function hasEnvironment(flag: StoredFlag, environment: string): boolean {
  return Object.hasOwn(flag.environments, environment) || Object.hasOwn(flag.environments, ANY_ENVIRONMENT_KEY);
}

/** Checks the types of query fields, which reach the database, whatever the caller validated. */
export function assertFlagQuery(query: FlagQuery): void {
  for (const field of ['environment', 'tag', 'text', 'after'] as const) {
    const value = query[field];
    if (value !== undefined && typeof value !== 'string') throw new TypeError(`flag query ${field} must be a string`);
  }
  if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 0)) {
    throw new TypeError('flag query limit must be a non-negative integer');
  }
}

export function assertName(name: unknown, what = 'flag name'): asserts name is string {
  if (typeof name !== 'string') throw new TypeError(`${what} must be a string`);
}

export function assertVersion(version: unknown): asserts version is number {
  if (!Number.isInteger(version)) throw new TypeError('expected version must be an integer');
}
