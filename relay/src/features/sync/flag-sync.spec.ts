import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../store/file/file-store.js';
import type { FlagStore, StoredFlag } from '../../store/store.js';
import { JobRunner } from '../../jobs/job-runner.js';
import { StoreUnavailableError } from '../../store/store-errors.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import type { AppliedChange } from '../flags/flag-map.js';
import { FlagMap } from '../flags/flag-map.js';
import { FlagSync, type SyncListener } from './flag-sync.js';

class RecordingListener implements SyncListener {
  readonly changes: AppliedChange[] = [];
  reloads = 0;
  changed(changes: AppliedChange[]): void {
    this.changes.push(...changes);
  }
  reloaded(): void {
    this.reloads += 1;
  }
}

/** The real store, with a switch that makes every call fail as an unreachable database would. */
function switchable(store: FlagStore): FlagStore & { down: boolean } {
  const wrapper = { down: false } as FlagStore & { down: boolean };
  for (const method of [
    'list',
    'get',
    'history',
    'create',
    'update',
    'delete',
    'changesSince',
    'currentRevision',
    'oldestRevision',
  ] as const) {
    (wrapper as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
      wrapper.down
        ? Promise.reject(new StoreUnavailableError(new Error('connection refused')))
        : (store[method] as (...a: unknown[]) => Promise<unknown>).apply(store, args);
  }
  return wrapper;
}

describe('FlagSync', () => {
  let dataDir: string;
  let store: FileStore;

  async function open(changeLogRetention?: number): Promise<void> {
    store = await FileStore.open({ dataDir, ...(changeLogRetention ? { changeLogRetention } : {}) });
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-sync-'));
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when flags exist at start, then the first poll loads them all at the current revision', async () => {
    await open();
    await store.flags.create(sampleFlag('checkout'));
    await store.flags.create(sampleFlag('banner'));
    const flagMap = new FlagMap();
    const listener = new RecordingListener();
    await new FlagSync(store.flags, flagMap, listener).pollNow();
    expect(flagMap.loaded).toBe(true);
    expect(flagMap.revision).toBe(2);
    expect([...flagMap.all()].map((f) => f.name).sort()).toEqual(['banner', 'checkout']);
    expect(listener.reloads).toBe(1);
  });

  it('when another writer changes flags, then the next poll applies each change in revision order', async () => {
    await open();
    const flagMap = new FlagMap();
    const listener = new RecordingListener();
    const sync = new FlagSync(store.flags, flagMap, listener, { intervalMs: 1000, batchSize: 2 });
    await sync.pollNow();
    const created = await store.flags.create(sampleFlag('checkout'));
    await store.flags.update({ ...created, description: 'changed' }, created.version);
    await store.flags.create(sampleFlag('banner'));
    await store.flags.delete('banner');
    await sync.pollNow();
    expect(listener.changes.map((c) => [c.record.revision, c.record.kind, c.record.flagName])).toEqual([
      [1, 'upsert', 'checkout'],
      [2, 'upsert', 'checkout'],
      [3, 'upsert', 'banner'],
      [4, 'delete', 'banner'],
    ]);
    expect(flagMap.get('checkout')?.description).toBe('changed');
    expect(flagMap.get('banner')).toBeUndefined();
    expect(listener.changes[1]?.previous?.version).toBe(1);
  });

  it('when the change log was pruned past the relay, then it reloads every flag instead of missing changes', async () => {
    await open(2);
    const flagMap = new FlagMap();
    const listener = new RecordingListener();
    const sync = new FlagSync(store.flags, flagMap, listener);
    await sync.pollNow();
    for (const name of ['a', 'b', 'c', 'd']) await store.flags.create(sampleFlag(name));
    await sync.pollNow();
    expect(listener.reloads).toBe(2);
    expect([...flagMap.all()].map((f: StoredFlag) => f.name).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(flagMap.revision).toBe(4);
  });

  it('when the store goes away, then the flag map keeps its flags, status says so, and it catches up on return', async () => {
    await open();
    const flags = switchable(store.flags);
    const flagMap = new FlagMap();
    const listener = new RecordingListener();
    const sync = new FlagSync(flags, flagMap, listener);
    await store.flags.create(sampleFlag('checkout'));
    await sync.pollNow();
    flags.down = true;
    await sync.pollNow();
    expect(sync.status()).toMatchObject({
      storeReachable: false,
      revision: 1,
      lastError: 'the flag store is unreachable',
    });
    expect(flagMap.get('checkout')).toBeDefined();
    await store.flags.create(sampleFlag('banner'));
    flags.down = false;
    await sync.pollNow();
    expect(sync.status()).toMatchObject({ storeReachable: true, revision: 2 });
    expect(listener.changes.map((c) => c.record.flagName)).toEqual(['banner']);
  });

  it('when the store is unreachable at start, then start rejects and the polling job keeps trying until it loads', async () => {
    await open();
    const flags = switchable(store.flags);
    flags.down = true;
    const flagMap = new FlagMap();
    const sync = new FlagSync(flags, flagMap, new RecordingListener());
    await expect(sync.start()).rejects.toThrow('unreachable');
    const jobs = new JobRunner([{ name: 'flag-sync', everyMs: 10, run: () => sync.pollNow() }]);
    jobs.start();
    flags.down = false;
    await expect.poll(() => flagMap.loaded, { timeout: 10_000 }).toBe(true);
    await jobs.stop();
  });
});
