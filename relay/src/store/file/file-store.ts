import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DataDirLock } from './data-dir-lock.js';
import { FileApiKeyStore } from './file-api-key-store.js';
import { FileAuditStore } from './file-audit-store.js';
import { FileFlagStore } from './file-flag-store.js';
import { JournalledState, type JournalledContent } from './journalled-state.js';
import {
  applyMutation,
  emptyState,
  fromSnapshot,
  toSnapshot,
  type MemoryState,
  type Mutation,
  type SnapshotData,
} from './memory-state.js';
import type { ApiKeyStore, AuditStore, FlagStore, Store } from '../store.js';
import { StoreCorruptError } from '../store-errors.js';
import { UsageFileStore } from '../usage/usage-file-store.js';

export interface FileStoreOptions {
  /** Where the store keeps its files (SWITCHYARD_DATA_DIR); created when missing. */
  dataDir: string;
  /** Change-log entries kept for `changesSince` (older ones are pruned; see `oldestRevision`). */
  changeLogRetention?: number;
  /** Journal size in bytes past which the state is compacted into the snapshot file. */
  compactionThresholdBytes?: number;
}

export const FILE_STORE_DEFAULTS = {
  changeLogRetention: 10_000,
  compactionThresholdBytes: 8 * 1024 * 1024,
} as const;

export const SNAPSHOT_FILE = 'snapshot.json';
export const JOURNAL_FILE = 'journal.jsonl';

/** What the slice stores of the embedded store share: the state, and the one way to change it. */
export interface FileStoreCore {
  readonly state: MemoryState;
  /** Runs `write` after every earlier write finished; writes never interleave. */
  serialize<T>(write: () => Promise<T>): Promise<T>;
  /** Journals the mutation (fsync'd), then applies it. Call inside `serialize`. */
  commit(mutation: Mutation): Promise<void>;
}

/**
 * The embedded store: everything in memory, every acknowledged write in an fsync'd journal line,
 * compacted now and then into a snapshot file. See docs/storage.md for the format and guarantees.
 */
export class FileStore implements Store, FileStoreCore {
  readonly flags: FlagStore;
  readonly apiKeys: ApiKeyStore;
  readonly audit: AuditStore;

  private constructor(
    private readonly journalled: JournalledState<MemoryState, Mutation>,
    private readonly lock: DataDirLock,
    readonly usage: UsageFileStore,
  ) {
    this.flags = new FileFlagStore(this);
    this.apiKeys = new FileApiKeyStore(this);
    this.audit = new FileAuditStore(this);
  }

  /** Takes the data directory's lock (DataDirLockedError when held), loads the snapshot and replays the journal. */
  static async open(options: FileStoreOptions): Promise<FileStore> {
    const settings = { ...FILE_STORE_DEFAULTS, ...definedOnly(options) };
    const dataDir = resolve(options.dataDir);
    await mkdir(dataDir, { recursive: true });
    const lock = await DataDirLock.acquire(dataDir);
    try {
      const journalled = await JournalledState.open(
        {
          dataDir,
          snapshotFile: SNAPSHOT_FILE,
          journalFile: JOURNAL_FILE,
          compactionThresholdBytes: settings.compactionThresholdBytes,
          description: 'the store',
        },
        storeContent(settings.changeLogRetention),
      );
      return new FileStore(journalled, lock, await UsageFileStore.open(dataDir));
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  get state(): MemoryState {
    return this.journalled.state;
  }

  serialize<T>(write: () => Promise<T>): Promise<T> {
    return this.journalled.serialize(write);
  }

  commit(mutation: Mutation): Promise<void> {
    return this.journalled.commit(mutation);
  }

  /** Writes the snapshot and empties the journal, after the writes queued before it. */
  compact(): Promise<void> {
    return this.journalled.serialize(() => this.journalled.compact());
  }

  async ping(): Promise<void> {
    this.journalled.assertOpen();
  }

  /** Waits for queued writes, compacts, closes the journal and releases the lock. */
  async close(): Promise<void> {
    await this.journalled.close();
    await this.usage.close();
    await this.lock.release();
  }
}

/** The flag/key/audit state: the snapshot file holds `SnapshotData` (format 1). */
function storeContent(changeLogRetention: number): JournalledContent<MemoryState, Mutation> {
  return {
    restore(snapshot, path) {
      if (snapshot === null) return { state: emptyState(), lastSequence: 0 };
      const data = snapshot as SnapshotData;
      if (data.format !== 1) throw new StoreCorruptError(path, `unknown format ${String(data.format)}`);
      return { state: fromSnapshot(data), lastSequence: data.lastSequence };
    },
    apply: (state, mutation) => applyMutation(state, mutation, changeLogRetention),
    snapshot: toSnapshot,
  };
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
