import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataDirLock } from './data-dir-lock.js';
import { FileApiKeyStore } from './file-api-key-store.js';
import { FileAuditStore } from './file-audit-store.js';
import { FileFlagStore } from './file-flag-store.js';
import { encodeJournalLine, JournalWriter, readJournal } from './journal.js';
import {
  applyMutation,
  emptyState,
  fromSnapshot,
  toSnapshot,
  type MemoryState,
  type Mutation,
} from './memory-state.js';
import { readSnapshot, writeSnapshot } from './snapshot-file.js';
import type { ApiKeyStore, AuditStore, FlagStore, Store } from '../store.js';
import { StoreUnavailableError } from '../store-errors.js';
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
  readonly usage: UsageFileStore;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  private closed = false;

  private constructor(
    readonly state: MemoryState,
    private sequence: number,
    private readonly journal: JournalWriter,
    private readonly lock: DataDirLock,
    private readonly dataDir: string,
    private readonly settings: Required<Omit<FileStoreOptions, 'dataDir'>>,
    usage: UsageFileStore,
  ) {
    this.usage = usage;
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
      const snapshot = await readSnapshot(join(dataDir, SNAPSHOT_FILE));
      const state = snapshot ? fromSnapshot(snapshot) : emptyState();
      let sequence = snapshot?.lastSequence ?? 0;
      const journalPath = join(dataDir, JOURNAL_FILE);
      const { entries, intactLength } = await readJournal(journalPath);
      for (const entry of entries) {
        // Entries up to the snapshot's are already in it (a crash between snapshot and journal truncation).
        if (entry.sequence <= sequence) continue;
        applyMutation(state, entry.mutation, settings.changeLogRetention);
        sequence = entry.sequence;
      }
      const journal = await JournalWriter.open(journalPath, intactLength);
      return new FileStore(state, sequence, journal, lock, dataDir, settings, await UsageFileStore.open(dataDir));
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  serialize<T>(write: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      if (this.closed) throw new StoreUnavailableError(new Error('the store is closed'));
      if (this.failure) throw new StoreUnavailableError(this.failure);
      return write();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  async commit(mutation: Mutation): Promise<void> {
    const sequence = this.sequence + 1;
    try {
      await this.journal.append(encodeJournalLine({ sequence, mutation }));
    } catch (error) {
      // The journal could not take the line back either: refuse writes rather than risk a corrupt journal.
      if (this.journal.broken) this.failure = error;
      throw new StoreUnavailableError(error);
    }
    this.sequence = sequence;
    applyMutation(this.state, mutation, this.settings.changeLogRetention);
    if (this.journal.size >= this.settings.compactionThresholdBytes) await this.compact().catch(() => undefined);
  }

  /** Writes the snapshot and empties the journal; a failure leaves the journal in charge, so nothing is lost. */
  async compact(): Promise<void> {
    await writeSnapshot(join(this.dataDir, SNAPSHOT_FILE), toSnapshot(this.state, this.sequence));
    await this.journal.clear();
  }

  async ping(): Promise<void> {
    if (this.closed) throw new StoreUnavailableError(new Error('the store is closed'));
    if (this.failure) throw new StoreUnavailableError(this.failure);
  }

  /** Waits for queued writes, compacts, closes the journal and releases the lock. */
  async close(): Promise<void> {
    await this.serialize(async () => {
      this.closed = true;
      await this.compact().catch(() => undefined);
    }).catch(() => undefined);
    this.closed = true;
    await this.journal.close().catch(() => undefined);
    await this.usage.close();
    await this.lock.release();
  }
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
