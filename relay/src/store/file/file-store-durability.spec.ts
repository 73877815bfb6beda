import { spawn, spawnSync } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FileStore, JOURNAL_FILE } from './file-store.js';
import { encodeJournalLine, readJournal } from './journal.js';
import type { StoredFlag } from '../store.js';
import { DataDirLockedError, StoreCorruptError } from '../store-errors.js';

const WRITER = fileURLToPath(new URL('../../testing/file-store-writer.ts', import.meta.url));

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-durability-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the writer child until it has acknowledged `atLeast` writes, then SIGKILLs it; returns the acks. */
function writeUntilKilled(prefix: string, atLeast: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, prefix], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks = new Map<string, number>();
    let buffered = '';
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, name, version] = line.split(' ');
        if (word === 'ack' && name && version) acks.set(name, Number(version));
      }
      if (acks.size >= atLeast) child.kill('SIGKILL');
    });
    child.once('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`the writer exited on its own: ${errors}`));
    });
  });
}

describe('embedded store durability', () => {
  it('when the writing process is killed with SIGKILL mid-write, then every acknowledged write is there after reopening', async () => {
    const acknowledged = new Map<string, number>();
    for (const round of ['first', 'second', 'third']) {
      for (const [name, version] of await writeUntilKilled(round, 150)) acknowledged.set(name, version);
    }
    const store = await FileStore.open({ dataDir });
    try {
      for (const [name, version] of acknowledged) {
        const flag = await store.flags.get(name);
        expect(flag?.version ?? 0, name).toBeGreaterThanOrEqual(version);
      }
      const changes = await store.flags.changesSince(0, 1_000_000);
      const revisions = changes.map((change) => change.revision);
      expect(revisions).toEqual([...new Set(revisions)].sort((a, b) => a - b));
      expect(await store.flags.currentRevision()).toBe(revisions[revisions.length - 1]);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('when the journal ends in a torn line, then it is ignored, cut off, and later writes are kept', async () => {
    const store = await FileStore.open({ dataDir });
    await store.flags.create(sampleFlag('kept'));
    await store.close();
    const torn = encodeJournalLine({
      sequence: 99,
      mutation: { op: 'flag.delete', name: 'kept', revision: 99, at: 'x' },
    });
    await appendFile(join(dataDir, JOURNAL_FILE), torn.subarray(0, torn.length - 5));

    const reopened = await FileStore.open({ dataDir });
    expect(await reopened.flags.get('kept')).not.toBeNull();
    await reopened.flags.create(sampleFlag('after'));
    const { entries } = await readJournal(join(dataDir, JOURNAL_FILE));
    expect(entries.map((entry) => entry.mutation.op)).toEqual(['flag.put']);
    await reopened.close();
    const again = await FileStore.open({ dataDir });
    expect((await again.flags.list({})).map((flag) => flag.name)).toEqual(['after', 'kept']);
    await again.close();
  });

  it('when the last journal line fails its checksum, then it is ignored', async () => {
    const flag = { ...sampleFlag('never'), revision: 1, createdAt: 'x', updatedAt: 'x' } as StoredFlag;
    const line = encodeJournalLine({ sequence: 1, mutation: { op: 'flag.put', flag } }).toString();
    await writeFile(join(dataDir, JOURNAL_FILE), line.replace('"never"', '"nevar"'));
    const store = await FileStore.open({ dataDir });
    expect(await store.flags.list({})).toEqual([]);
    await store.close();
  });

  it('when a line before the last fails its checksum, then opening refuses with StoreCorruptError', async () => {
    const flag = (name: string, revision: number) =>
      ({ ...sampleFlag(name), revision, createdAt: 'x', updatedAt: 'x' }) as StoredFlag;
    const first = encodeJournalLine({ sequence: 1, mutation: { op: 'flag.put', flag: flag('one', 1) } }).toString();
    const second = encodeJournalLine({ sequence: 2, mutation: { op: 'flag.put', flag: flag('two', 2) } }).toString();
    await writeFile(join(dataDir, JOURNAL_FILE), first.replace('"one"', '"uno"') + second);
    await expect(FileStore.open({ dataDir })).rejects.toBeInstanceOf(StoreCorruptError);
  });

  it('when a store has the data directory, then a second opener fails with DataDirLockedError until it closes', async () => {
    const first = await FileStore.open({ dataDir });
    const error = await FileStore.open({ dataDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as DataDirLockedError).ownerPid).toBe(process.pid);
    await first.close();
    const second = await FileStore.open({ dataDir });
    await second.close();
  });

  it('when the lock file names this process but no store here holds it (a restarted container), then it is taken over', async () => {
    await writeFile(join(dataDir, 'store.lock'), `${process.pid}\n`);
    const store = await FileStore.open({ dataDir });
    await store.close();
  });

  it('when the lock file names a process that no longer runs, then the store takes the lock over', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(join(dataDir, 'store.lock'), `${dead}\n`);
    const store = await FileStore.open({ dataDir });
    expect((await readFile(join(dataDir, 'store.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
  });

  it('when closed and reopened, then flags, history, change log, keys and audit come back from the snapshot', async () => {
    const store = await FileStore.open({ dataDir });
    await store.flags.create(sampleFlag('snap'));
    await store.flags.update(sampleFlag('snap', { description: 'two' }), 1);
    await store.apiKeys.create({
      id: 'k',
      name: 'k',
      role: 'admin',
      secretHash: 'h',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    await store.audit.append({
      id: 'a',
      at: '2026-01-01T00:00:00.000Z',
      actor: 'k',
      action: 'flag.create',
      flagName: 'snap',
    });
    await store.close();
    const reopened = await FileStore.open({ dataDir });
    expect((await reopened.flags.history('snap')).map((flag) => flag.description)).toEqual(['the snap flag', 'two']);
    expect(await reopened.flags.changesSince(0, 10)).toHaveLength(2);
    expect(await reopened.apiKeys.findBySecretHash('h')).toMatchObject({ id: 'k' });
    expect(await reopened.audit.list({})).toHaveLength(1);
    await reopened.close();
  });

  it('when the change log exceeds its retention, then the oldest entries go and oldestRevision says so', async () => {
    const store = await FileStore.open({ dataDir, changeLogRetention: 3 });
    for (const name of ['r1', 'r2', 'r3', 'r4', 'r5']) await store.flags.create(sampleFlag(name));
    expect(await store.flags.oldestRevision()).toBe(2);
    expect((await store.flags.changesSince(2, 10)).map((change) => change.flagName)).toEqual(['r3', 'r4', 'r5']);
    await store.close();
  });

  it('when audit and history were pruned, then a restart from the journal, and one after a compaction, keeps exactly what was kept', async () => {
    const store = await FileStore.open({ dataDir });
    const restarted = async (copy: string) => {
      await cp(dataDir, copy, { recursive: true });
      return FileStore.open({ dataDir: copy });
    };
    try {
      for (const day of ['01', '02', '03', '04', '05'])
        await store.audit.append({ id: day, at: `2026-01-${day}T00:00:00.000Z`, actor: 'k', action: 'flag.update' });
      await store.flags.create(sampleFlag('kept'));
      for (const version of [1, 2, 3])
        await store.flags.update(sampleFlag('kept', { description: `v${version + 1}` }), version);
      expect(await store.audit.prune({ before: '2026-01-02T00:00:00.000Z', keepNewest: 2 })).toBe(3);
      expect(await store.flags.pruneHistory({ keepNewest: 0 })).toBe(2);
      const state = async (opened: FileStore) => ({
        audit: (await opened.audit.list({})).map((entry) => entry.id),
        versions: (await opened.flags.history('kept')).map((flag) => flag.version),
      });
      const fromJournal = await restarted(`${dataDir}-journal`);
      expect(await state(fromJournal)).toEqual({ audit: ['05', '04'], versions: [3, 4] });
      await fromJournal.close();

      await store.compact();
      await store.audit.append({ id: '06', at: '2026-01-06T00:00:00.000Z', actor: 'k', action: 'flag.update' });
      const fromSnapshot = await restarted(`${dataDir}-snapshot`);
      expect(await state(fromSnapshot)).toEqual({ audit: ['06', '05', '04'], versions: [3, 4] });
      expect(await fromSnapshot.flags.get('kept')).toMatchObject({ version: 4, description: 'v4' });
      await fromSnapshot.close();
    } finally {
      await store.close();
      for (const copy of ['journal', 'snapshot']) await rm(`${dataDir}-${copy}`, { recursive: true, force: true });
    }
  });
});
