import { describe, expect, it } from 'vitest';
import { booleanFlag } from '../testing/flag-builders.js';
import { FlagSet } from './flag-set.js';

describe('FlagSet', () => {
  it('when a snapshot replaces another, then only added, removed and different flags are reported', () => {
    const flags = new FlagSet();
    expect(flags.replace('production', [booleanFlag('a'), booleanFlag('b')])).toEqual(['a', 'b']);
    expect(flags.replace('production', [booleanFlag('a'), booleanFlag('b', false, 2), booleanFlag('c')])).toEqual([
      'b',
      'c',
    ]);
    expect(flags.replace('production', [booleanFlag('a')])).toEqual(['b', 'c']);
    expect(flags.replace('production', [booleanFlag('a')])).toEqual([]);
  });

  it('when changes are applied, then upserts and deletes of held flags are reported once each', () => {
    const flags = new FlagSet();
    flags.replace('production', [booleanFlag('a')]);
    const changed = flags.apply([
      { kind: 'upsert', revision: 2, flag: booleanFlag('b') },
      { kind: 'upsert', revision: 3, flag: booleanFlag('b', false, 2) },
      { kind: 'delete', revision: 4, flagName: 'a' },
      { kind: 'delete', revision: 5, flagName: 'never-held' },
    ]);
    expect(changed).toEqual(['b', 'a']);
    expect(flags.get('a')).toBeUndefined();
    expect(flags.get('b')?.version).toBe(2);
  });

  it('when the environment changes, then every flag counts as changed', () => {
    const flags = new FlagSet();
    flags.replace('staging', [booleanFlag('a')]);
    expect(flags.replace('production', [booleanFlag('a')])).toEqual(['a']);
    expect(flags.environment).toBe('production');
  });
});
