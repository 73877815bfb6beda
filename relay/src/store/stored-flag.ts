import type { Flag } from '@switchyard/core';
import type { StoredFlag } from './store.js';

type StoreAssigned = Pick<StoredFlag, 'version' | 'revision' | 'createdAt' | 'updatedAt'>;

/** The caller's flag, detached from the caller, with the fields the store assigns. */
export function storedFlag(flag: Flag, assigned: StoreAssigned): StoredFlag {
  return { ...structuredClone(flag), ...assigned };
}

/** Code-point order, the same order MongoDB sorts strings in. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
