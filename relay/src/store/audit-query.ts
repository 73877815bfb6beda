import type { AuditEntry, AuditQuery } from './store.js';

/** Checks the types of audit query fields, which reach the database, whatever the caller validated. */
export function assertAuditQuery(query: AuditQuery): void {
  for (const field of ['flagName', 'since', 'after'] as const) {
    const value = query[field];
    if (value !== undefined && typeof value !== 'string') throw new TypeError(`audit query ${field} must be a string`);
  }
  if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 0)) {
    throw new TypeError('audit query limit must be a non-negative integer');
  }
}

/** Newest `at` first; entries with the same `at` newest appended first. */
export function newestFirst(
  a: { entry: AuditEntry; sequence: number },
  b: { entry: AuditEntry; sequence: number },
): number {
  if (a.entry.at !== b.entry.at) return a.entry.at < b.entry.at ? 1 : -1;
  return b.sequence - a.sequence;
}
