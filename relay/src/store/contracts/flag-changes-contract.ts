import { describe, expect, it } from 'vitest';
import { sampleFlag } from '../../testing/sample-flag.js';
import type { Store } from '../store.js';

export function flagChangesContract(store: () => Store): void {
  describe('revisions and the change log', () => {
    it('when nothing was written, then the revision is 0 and there are no changes', async () => {
      expect(await store().flags.currentRevision()).toBe(0);
      expect(await store().flags.oldestRevision()).toBe(0);
      expect(await store().flags.changesSince(0, 100)).toEqual([]);
    });

    it('every flag write raises the revision and is listed in order, deletions included', async () => {
      const created = await store().flags.create(sampleFlag('one'));
      const other = await store().flags.create(sampleFlag('two'));
      const updated = await store().flags.update(sampleFlag('one', { description: 'changed' }), 1);
      const deleted = await store().flags.delete('two');
      const changes = await store().flags.changesSince(0, 100);
      expect(changes.map((change) => [change.flagName, change.kind])).toEqual([
        ['one', 'upsert'],
        ['two', 'upsert'],
        ['one', 'upsert'],
        ['two', 'delete'],
      ]);
      const revisions = changes.map((change) => change.revision);
      expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
      expect(new Set(revisions).size).toBe(4);
      expect(revisions.slice(0, 3)).toEqual([created.revision, other.revision, updated.revision]);
      expect(changes[2]!.flag).toEqual(updated);
      expect(changes[3]!.flag).toBeUndefined();
      expect(deleted).toEqual(changes[3]);
      expect(await store().flags.currentRevision()).toBe(revisions[3]);
    });

    it('changesSince returns only later changes, at most limit, so a poller can page through them', async () => {
      for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) await store().flags.create(sampleFlag(name));
      const all = await store().flags.changesSince(0, 100);
      const seen: string[] = [];
      let cursor = 0;
      for (;;) {
        const page = await store().flags.changesSince(cursor, 2);
        expect(page.length).toBeLessThanOrEqual(2);
        if (page.length === 0) break;
        seen.push(...page.map((change) => change.flagName));
        cursor = page[page.length - 1]!.revision;
      }
      expect(seen).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
      expect((await store().flags.changesSince(all[2]!.revision, 100)).map((change) => change.flagName)).toEqual([
        'p4',
        'p5',
      ]);
    });

    it('when writes fail (conflict, duplicate, missing), then no change is listed for them', async () => {
      await store().flags.create(sampleFlag('solid'));
      await store()
        .flags.create(sampleFlag('solid'))
        .catch(() => undefined);
      await store()
        .flags.update(sampleFlag('solid'), 9)
        .catch(() => undefined);
      await store()
        .flags.delete('nothing')
        .catch(() => undefined);
      await store().flags.update(sampleFlag('solid', { description: 'after failures' }), 1);
      const changes = await store().flags.changesSince(0, 100);
      expect(changes.map((change) => change.flag?.description)).toEqual(['the solid flag', 'after failures']);
      expect(await store().flags.currentRevision()).toBe(changes[1]!.revision);
    });

    it('concurrent writes to different flags get distinct revisions, all listed', async () => {
      const names = Array.from({ length: 10 }, (_, index) => `parallel-${index}`);
      const created = await Promise.all(names.map((name) => store().flags.create(sampleFlag(name))));
      expect(new Set(created.map((flag) => flag.revision)).size).toBe(10);
      const changes = await store().flags.changesSince(0, 100);
      expect(changes.map((change) => change.flagName).sort()).toEqual([...names].sort());
      expect(await store().flags.currentRevision()).toBe(Math.max(...created.map((flag) => flag.revision)));
    });
  });
}
