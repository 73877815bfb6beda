import { describe, expect, it } from 'vitest';
import { sampleFlag } from '../../testing/sample-flag.js';
import type { Store } from '../store.js';
import { FlagExistsError, FlagNotFoundError, VersionConflictError } from '../store-errors.js';

export function flagStoreContract(store: () => Store): void {
  describe('flags', () => {
    it('when a flag is created, then it reads back at version 1 with its revision and times', async () => {
      const created = await store().flags.create(sampleFlag('new-checkout', { version: 7 }));
      expect(created).toMatchObject({ ...sampleFlag('new-checkout'), version: 1 });
      expect(created.revision).toBeGreaterThan(0);
      expect(created.updatedAt).toBe(created.createdAt);
      expect(await store().flags.get('new-checkout')).toEqual(created);
    });

    it('when a name is taken, then create fails with FlagExistsError', async () => {
      await store().flags.create(sampleFlag('dup'));
      await expect(store().flags.create(sampleFlag('dup'))).rejects.toBeInstanceOf(FlagExistsError);
    });

    it('when no such flag exists, then get answers null and history is empty', async () => {
      expect(await store().flags.get('missing')).toBeNull();
      expect(await store().flags.history('missing')).toEqual([]);
    });

    it('when updated with the version read, then the version rises and createdAt stays', async () => {
      const created = await store().flags.create(sampleFlag('banner'));
      const updated = await store().flags.update(sampleFlag('banner', { description: 'v2' }), 1);
      expect(updated).toMatchObject({ version: 2, description: 'v2', createdAt: created.createdAt });
      expect(updated.revision).toBeGreaterThan(created.revision);
      expect(await store().flags.get('banner')).toEqual(updated);
    });

    it('when updated with a stale version, then VersionConflictError names the stored version', async () => {
      await store().flags.create(sampleFlag('banner'));
      await store().flags.update(sampleFlag('banner'), 1);
      const error = await store()
        .flags.update(sampleFlag('banner', { description: 'lost' }), 1)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(error).toMatchObject({ flagName: 'banner', expectedVersion: 1, actualVersion: 2 });
      expect((await store().flags.get('banner'))?.description).not.toBe('lost');
    });

    it('when updating or deleting a missing flag, then FlagNotFoundError', async () => {
      await expect(store().flags.update(sampleFlag('ghost'), 1)).rejects.toBeInstanceOf(FlagNotFoundError);
      await expect(store().flags.delete('ghost')).rejects.toBeInstanceOf(FlagNotFoundError);
    });

    it('when deleted with a stale version, then VersionConflictError and the flag stays', async () => {
      await store().flags.create(sampleFlag('keep'));
      await store().flags.update(sampleFlag('keep'), 1);
      await expect(store().flags.delete('keep', 1)).rejects.toBeInstanceOf(VersionConflictError);
      expect(await store().flags.get('keep')).not.toBeNull();
    });

    it('when deleted, then it is gone with its history, and the name can be used again', async () => {
      await store().flags.create(sampleFlag('gone'));
      await store().flags.update(sampleFlag('gone'), 1);
      await store().flags.delete('gone', 2);
      expect(await store().flags.get('gone')).toBeNull();
      expect(await store().flags.history('gone')).toEqual([]);
      await store().flags.create(sampleFlag('gone', { description: 'again' }));
      expect((await store().flags.history('gone')).map((flag) => [flag.version, flag.description])).toEqual([
        [1, 'again'],
      ]);
    });

    it('history holds every version oldest first, each as it was written', async () => {
      await store().flags.create(sampleFlag('hist', { description: 'one' }));
      await store().flags.update(sampleFlag('hist', { description: 'two' }), 1);
      const third = await store().flags.update(sampleFlag('hist', { description: 'three' }), 2);
      const history = await store().flags.history('hist');
      expect(history.map((flag) => [flag.version, flag.description])).toEqual([
        [1, 'one'],
        [2, 'two'],
        [3, 'three'],
      ]);
      expect(history[2]).toEqual(third);
    });

    it('history pages: versions after afterVersion, oldest first, at most limit', async () => {
      await store().flags.create(sampleFlag('paged', { description: 'v1' }));
      for (let version = 1; version < 5; version++)
        await store().flags.update(sampleFlag('paged', { description: `v${version + 1}` }), version);
      const page = async (afterVersion?: number, limit?: number) =>
        (await store().flags.history('paged', { afterVersion, limit })).map((flag) => flag.version);
      expect(await page(undefined, 2)).toEqual([1, 2]);
      expect(await page(2, 2)).toEqual([3, 4]);
      expect(await page(4, 2)).toEqual([5]);
      expect(await page(5, 2)).toEqual([]);
      expect(await page(3)).toEqual([4, 5]);
    });

    it('when N writers update from the same version at once, then exactly one wins and the rest conflict', async () => {
      await store().flags.create(sampleFlag('race'));
      const writers = Array.from({ length: 8 }, (_, index) =>
        store().flags.update(sampleFlag('race', { description: `writer ${index}` }), 1),
      );
      const results = await Promise.allSettled(writers);
      const winners = results.filter((result) => result.status === 'fulfilled');
      const losers = results.filter((result) => result.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers.every((result) => result.reason instanceof VersionConflictError)).toBe(true);
      const stored = await store().flags.get('race');
      expect(stored).toEqual(winners[0]!.value);
      expect(await store().flags.history('race')).toHaveLength(2);
    });

    it('when N writers create one name at once, then exactly one succeeds', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => store().flags.create(sampleFlag('first'))),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(results.every((result) => result.status === 'fulfilled' || result.reason instanceof FlagExistsError)).toBe(
        true,
      );
    });

    it('list filters by environment (listed or via *), tag and text, sorted by name and paged', async () => {
      await store().flags.create(sampleFlag('b-flag', { tags: ['web'], description: 'Shows the NEW banner' }));
      await store().flags.create(sampleFlag('a-flag', { tags: ['api'] }));
      await store().flags.create(
        sampleFlag('c-flag', { environments: { '*': { enabled: true, rules: [], fallthrough: { serve: true } } } }),
      );
      await store().flags.create(
        sampleFlag('d-flag', { environments: { staging: { enabled: true, rules: [], fallthrough: { serve: true } } } }),
      );
      const names = async (query: object) => (await store().flags.list(query)).map((flag) => flag.name);
      expect(await names({})).toEqual(['a-flag', 'b-flag', 'c-flag', 'd-flag']);
      expect(await names({ environment: 'production' })).toEqual(['a-flag', 'b-flag', 'c-flag']);
      expect(await names({ environment: 'staging' })).toEqual(['c-flag', 'd-flag']);
      expect(await names({ tag: 'web' })).toEqual(['b-flag']);
      expect(await names({ text: 'new b' })).toEqual(['b-flag']);
      expect(await names({ text: 'D-FL' })).toEqual(['d-flag']);
      expect(await names({ text: '.*' })).toEqual([]);
      expect(await names({ limit: 2 })).toEqual(['a-flag', 'b-flag']);
      expect(await names({ after: 'b-flag', limit: 1 })).toEqual(['c-flag']);
    });

    it('values with $-prefixed and dotted keys round-trip unchanged', async () => {
      const value = { $set: { 'a.b': 1 }, $where: 'x', nested: [{ $gt: '' }] };
      const flag = sampleFlag('odd-keys', { type: 'object', variants: [{ name: 'odd', value, weight: 100 }] });
      await store().flags.create(flag);
      expect((await store().flags.get('odd-keys'))?.variants[0]?.value).toEqual(value);
    });

    it('when a caller changes a returned flag, then the stored flag does not change', async () => {
      const created = await store().flags.create(sampleFlag('detached'));
      created.tags.push('mutated');
      const read = await store().flags.get('detached');
      read!.description = 'mutated';
      expect(await store().flags.get('detached')).toMatchObject({ tags: ['sample'], description: 'the detached flag' });
    });

    it('when a name is not a string, then the store refuses it rather than query with it', async () => {
      const operator = { $gt: '' } as unknown as string;
      await store().flags.create(sampleFlag('victim'));
      await expect(store().flags.get(operator)).rejects.toBeInstanceOf(TypeError);
      await expect(store().flags.delete(operator)).rejects.toBeInstanceOf(TypeError);
      await expect(store().flags.list({ tag: operator })).rejects.toBeInstanceOf(TypeError);
      expect(await store().flags.get('victim')).not.toBeNull();
    });

    it('ping resolves while the store is reachable', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });
}
