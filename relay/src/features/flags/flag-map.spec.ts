import { describe, expect, it } from 'vitest';
import type { FlagChangeRecord, StoredFlag } from '../../store/store.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FlagMap } from './flag-map.js';

function stored(name: string, revision: number, description = `rev ${revision}`): StoredFlag {
  return { ...sampleFlag(name, { description }), version: revision, revision, createdAt: 'then', updatedAt: 'now' };
}

function upsert(flag: StoredFlag): FlagChangeRecord {
  return { revision: flag.revision, flagName: flag.name, kind: 'upsert', flag, at: 'now' };
}

describe('FlagMap', () => {
  it('when a change is applied twice, then the second time is a no-op', () => {
    const map = new FlagMap();
    map.load([], 0);
    expect(map.apply(upsert(stored('a', 1)))).toMatchObject({ fromRevision: 0, previous: undefined });
    expect(map.apply(upsert(stored('a', 1)))).toBeUndefined();
    expect(map.revision).toBe(1);
  });

  it('when a change is older than the flag as loaded, then the newer state stays and nothing is announced', () => {
    const map = new FlagMap();
    map.load([stored('a', 3)], 1);
    expect(map.apply(upsert(stored('a', 2)))).toBeUndefined();
    expect(map.get('a')?.revision).toBe(3);
    expect(map.revision).toBe(2);
  });

  it("when a deletion is applied, then a replay of the flag's earlier upsert does not bring it back", () => {
    const map = new FlagMap();
    map.load([stored('a', 2)], 2);
    expect(map.apply({ revision: 4, flagName: 'a', kind: 'delete', at: 'now' })).toMatchObject({
      previous: { revision: 2 },
    });
    expect(map.apply(upsert(stored('a', 2)))).toBeUndefined();
    expect(map.get('a')).toBeUndefined();
    expect(map.apply(upsert(stored('a', 9)))).toBeDefined();
  });

  it('when flags change, then the compiled flags of an environment follow: only flags configured there, each change seen', () => {
    const map = new FlagMap();
    const stagingOnly = {
      ...stored('s', 2),
      environments: { staging: { enabled: true, rules: [], fallthrough: { serve: true } } },
    };
    map.load([stored('a', 1), stagingOnly], 2);
    expect(map.environmentFlags('production').names).toEqual(['a']);
    map.apply(upsert(stored('b', 3)));
    expect(map.environmentFlags('production').names).toEqual(['a', 'b']);
    const off = {
      ...stored('a', 4),
      environments: { production: { enabled: false, rules: [], fallthrough: { serve: true } } },
    };
    map.apply(upsert(off));
    expect(map.environmentFlags('production').evaluate('a', { targetingKey: 'u' })).toMatchObject({
      reason: 'DISABLED',
    });
    map.apply({ revision: 5, flagName: 'b', kind: 'delete', at: 'now' });
    expect(map.environmentFlags('production').names).toEqual(['a']);
    expect(map.environmentFlags('staging').names).toEqual(['s']);
  });
});
