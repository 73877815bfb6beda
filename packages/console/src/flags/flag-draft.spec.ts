import type { Flag } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { StoredFlag } from '../api/types.js';
import { canonicalJson, reapply, sameConfiguration } from './flag-draft.js';

const base: Flag = {
  name: 'f',
  description: 'first',
  tags: [],
  type: 'boolean',
  variants: [],
  version: 1,
  environments: {
    production: { enabled: true, rules: [{ strategy: 'percentage', percentage: 10 }], fallthrough: { serve: false } },
    staging: { enabled: true, rules: [], fallthrough: { serve: true } },
  },
};
const stored = (flag: Flag, version: number): StoredFlag => ({
  ...structuredClone(flag),
  version,
  revision: version,
  createdAt: 'c',
  updatedAt: 'u',
});

describe('reapply', () => {
  it('when they changed one part and I another, then the result has both and names no clash', () => {
    const mine = structuredClone(base);
    mine.environments.production!.rules[0]!.percentage = 50;
    const theirs = stored({ ...base, description: 'theirs' }, 2);
    const result = reapply(base, mine, theirs);
    expect(result.bothChanged).toEqual([]);
    expect(result.flag.description).toBe('theirs');
    expect(result.flag.environments.production!.rules[0]!.percentage).toBe(50);
    expect(result.flag.version).toBe(2);
  });

  it('when we both changed the same environment differently, then mine is kept and the clash is named', () => {
    const mine = structuredClone(base);
    mine.environments.staging!.enabled = false;
    const theirsFlag = structuredClone(base);
    theirsFlag.environments.staging!.rules = [{ strategy: 'percentage', percentage: 5 }];
    const result = reapply(base, mine, stored(theirsFlag, 2));
    expect(result.bothChanged).toEqual(['environment staging']);
    expect(result.flag.environments.staging).toEqual(mine.environments.staging);
  });

  it('when I removed an environment or a field, then it is removed from theirs too', () => {
    const mine = structuredClone(base);
    delete mine.environments.staging;
    const result = reapply(
      { ...base, owner: 'x' },
      { ...mine, owner: undefined } as Flag,
      stored({ ...base, owner: 'x' }, 2),
    );
    expect(Object.keys(result.flag.environments)).toEqual(['production']);
    expect('owner' in result.flag).toBe(false);
  });

  it('when I hid the flag from client keys and they changed something else, then it stays hidden', () => {
    const result = reapply(base, { ...base, clientVisible: false }, stored({ ...base, description: 'theirs' }, 2));
    expect(result.flag).toMatchObject({ clientVisible: false, description: 'theirs' });
    expect(result.bothChanged).toEqual([]);
  });
});

describe('canonicalJson and sameConfiguration', () => {
  it('ignore key order and the version', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
    expect(sameConfiguration(base, { ...base, version: 9 })).toBe(true);
    expect(sameConfiguration(base, { ...base, description: 'other' })).toBe(false);
  });
});
