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

  it("when a deletion is applied, then a replay of the flag's earlier upsert does not bring it back", () => {
    const cache = new FlagCache();
    cache.load([stored('a', 2)], 2);
    expect(cache.applyChange({ revision: 4, flagName: 'a', kind: 'delete', at: 'now' })).toBe(true);
    expect(cache.applyChange(upsert(stored('a', 2)))).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.applyChange(upsert(stored('a', 9)))).toBe(true);
  });

  it('when flags change, then the compiled flags of an environment follow: only flags configured there, each change seen', () => {
    const cache = new FlagCache();
    const stagingOnly = {
      ...stored('s', 2),
      environments: { staging: { enabled: true, rules: [], fallthrough: { serve: true } } },
    };
    cache.load([stored('a', 1), stagingOnly], 2);
    expect(cache.environmentFlags('production').names).toEqual(['a']);
    cache.applyChange(upsert(stored('b', 3)));
    expect(cache.environmentFlags('production').names).toEqual(['a', 'b']);
    const off = {
      ...stored('a', 4),
      environments: { production: { enabled: false, rules: [], fallthrough: { serve: true } } },
    };
    cache.applyChange(upsert(off));
    expect(cache.environmentFlags('production').evaluate('a', { targetingKey: 'u' })).toMatchObject({
      reason: 'DISABLED',
    });
    cache.applyChange({ revision: 5, flagName: 'b', kind: 'delete', at: 'now' });
    expect(cache.environmentFlags('production').names).toEqual(['a']);
    expect(cache.environmentFlags('staging').names).toEqual(['s']);
  });
});
