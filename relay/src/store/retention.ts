import type { RetentionCut } from './store.js';

/** Versions of a flag every retention pass keeps: the current one and the one before it, which a rollback of the last change needs. */
export const ALWAYS_KEPT_VERSIONS = 2;

/** Checks the cut's field types, which reach the database, whatever the caller validated. */
export function assertRetentionCut(cut: RetentionCut): void {
  if (cut.before !== undefined && typeof cut.before !== 'string')
    throw new TypeError('retention before must be a string');
  const { keepNewest } = cut;
  if (keepNewest !== undefined && !(Number.isInteger(keepNewest) && keepNewest >= 0)) {
    throw new TypeError('retention keepNewest must be a non-negative integer');
  }
}
