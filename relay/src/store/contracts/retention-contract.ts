import { describe, expect, it } from 'vitest';
import { sampleFlag } from '../../testing/sample-flag.js';
import type { AuditEntry, Store } from '../store.js';

function entry(id: string, day: string): AuditEntry {
  return { id, at: `2026-01-${day}T00:00:00.000Z`, actor: 'ops key', action: 'flag.update', flagName: 'banner' };
}

/** A flag at `versions` versions. */
async function flagWithVersions(store: Store, name: string, versions: number): Promise<void> {
  await store.flags.create(sampleFlag(name));
  for (let version = 1; version < versions; version += 1) {
    await store.flags.update(sampleFlag(name, { description: `v${version + 1}` }), version);
  }
}

const versionsOf = async (store: Store, name: string) => (await store.flags.history(name)).map((flag) => flag.version);
const auditIds = async (store: Store) => (await store.audit.list({})).map((item) => item.id);
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
const LONG_AGO = '2000-01-01T00:00:00.000Z';

export function retentionContract(store: () => Store): void {
  describe('retention', () => {
    it('when audit entries are pruned by age, then those written before the cut go', async () => {
      for (const [id, day] of [
        ['r1', '01'],
        ['r2', '02'],
        ['r3', '03'],
      ] as const)
        await store().audit.append(entry(id, day));
      expect(await store().audit.prune({ before: '2026-01-02T00:00:00.000Z' })).toBe(1);
      expect(await auditIds(store())).toEqual(['r3', 'r2']);
    });

    it('when audit entries are pruned by count, then the newest are kept', async () => {
      for (const [id, day] of [
        ['c1', '01'],
        ['c2', '02'],
        ['c3', '03'],
        ['c4', '04'],
      ] as const)
        await store().audit.append(entry(id, day));
      expect(await store().audit.prune({ keepNewest: 2 })).toBe(2);
      expect(await auditIds(store())).toEqual(['c4', 'c3']);
      expect(await store().audit.prune({ keepNewest: 2, before: LONG_AGO })).toBe(0);
      expect(await store().audit.prune({ keepNewest: 0 })).toBe(2);
      expect(await auditIds(store())).toEqual([]);
    });

    it('when flag history is pruned by count, then each flag keeps its newest versions', async () => {
      await flagWithVersions(store(), 'banner', 5);
      await flagWithVersions(store(), 'checkout', 2);
      expect(await store().flags.pruneHistory({ keepNewest: 3 })).toBe(2);
      expect(await versionsOf(store(), 'banner')).toEqual([3, 4, 5]);
      expect(await versionsOf(store(), 'checkout')).toEqual([1, 2]);
      expect((await store().flags.get('banner'))?.version).toBe(5);
    });

    it('when flag history is pruned by age or to nothing, then the current version and the one before it stay, and a rollback to it still reads', async () => {
      await flagWithVersions(store(), 'banner', 4);
      expect(await store().flags.pruneHistory({ before: LONG_AGO })).toBe(0);
      expect(await store().flags.pruneHistory({ before: FAR_FUTURE, keepNewest: 0 })).toBe(2);
      expect(await versionsOf(store(), 'banner')).toEqual([3, 4]);
      const [previous] = await store().flags.history('banner', { afterVersion: 2, limit: 1 });
      expect(previous).toMatchObject({ version: 3, description: 'v3' });
      const rolledBack = await store().flags.update(previous!, 4);
      expect(rolledBack).toMatchObject({ version: 5, description: 'v3' });
      expect(await versionsOf(store(), 'banner')).toEqual([3, 4, 5]);
    });

    it('when a cut is not of the expected types, then the store refuses it', async () => {
      await expect(store().audit.prune({ before: { $gt: '' } as unknown as string })).rejects.toBeInstanceOf(TypeError);
      await expect(store().flags.pruneHistory({ keepNewest: -1 })).rejects.toBeInstanceOf(TypeError);
    });
  });
}
