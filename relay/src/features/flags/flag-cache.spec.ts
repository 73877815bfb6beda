import { describe, expect, it } from 'vitest';
import { sampleFlag } from '../../testing/sample-flag.js';
import type { FlagChangeRecord, StoredFlag } from '../../store/store.js';
import { FlagCache } from './flag-cache.js';

function stored(name: string, revision: number, description = `rev ${revision}`): StoredFlag {
  return { ...sampleFlag(name, { description }), version: revision, revision, createdAt: 'c', updatedAt: 'u' };
}

function upsert(flag: StoredFlag): FlagChangeRecord {
  return { revision: flag.revision, flagName: flag.name, kind: 'upsert', flag, at: 'now' };
}

describe('FlagCache', () => {
  it('when the same change arrives twice, then the second changes nothing', () => {
    const cache = new FlagCache();
    expect(cache.applyChange(upsert(stored('a', 1)))).toBe(true);
    expect(cache.applyChange(upsert(stored('a', 1)))).toBe(false);
    expect(cache.get('a')?.revision).toBe(1);
  });

  it('when an older change of a flag arrives after a newer one, then the newer one stays', () => {
    const cache = new FlagCache();
    cache.applyChange(upsert(stored('a', 5, 'new')));
    expect(cache.applyChange(upsert(stored('a', 3, 'old')))).toBe(false);
    expect(cache.get('a')?.description).toBe('new');
  });

  it('when changes of different flags arrive out of revision order, then both apply', () => {
    const cache = new FlagCache();
    cache.applyChange(upsert(stored('b', 7)));
    expect(cache.applyChange(upsert(stored('a', 6)))).toBe(true);
    expect([...cache.all()].map((flag) => flag.name).sort()).toEqual(['a', 'b']);
    expect(cache.revision).toBe(7);
  });

  it('when a deletion is applied, then a replay of the flag\'s earlier upsert does not bring it back', () => {
    const cache = new FlagCache();
    cache.load([stored('a', 2)], 2);
    expect(cache.applyChange({ revision: 4, flagName: 'a', kind: 'delete', at: 'now' })).toBe(true);
    expect(cache.applyChange(upsert(stored('a', 2)))).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.applyChange(upsert(stored('a', 9)))).toBe(true);
  });
});
