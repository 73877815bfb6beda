import { describe, expect, it } from 'vitest';
import type { StoredFlag } from '../../store/store.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FlagMirror } from './flag-mirror.js';

const stored = (name: string, revision: number): StoredFlag => ({
  ...sampleFlag(name),
  version: revision,
  revision,
  createdAt: 'then',
  updatedAt: 'now',
});

describe('FlagMirror', () => {
  it('when a change is applied twice, then the second time is a no-op', () => {
    const mirror = new FlagMirror();
    mirror.load([], 0);
    const record = { revision: 1, flagName: 'a', kind: 'upsert' as const, flag: stored('a', 1), at: 'now' };
    expect(mirror.apply(record)).toMatchObject({ fromRevision: 0, previous: undefined });
    expect(mirror.apply(record)).toBeUndefined();
    expect(mirror.revision).toBe(1);
  });

  it('when a change is older than the flag as loaded, then the newer state stays and nothing is announced', () => {
    const mirror = new FlagMirror();
    mirror.load([stored('a', 3)], 1);
    expect(
      mirror.apply({ revision: 2, flagName: 'a', kind: 'upsert', flag: stored('a', 2), at: 'now' }),
    ).toBeUndefined();
    expect(mirror.get('a')?.revision).toBe(3);
    expect(mirror.revision).toBe(2);
  });
});
