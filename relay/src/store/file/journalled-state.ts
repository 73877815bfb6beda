import { join } from 'node:path';
import { encodeJournalLine, JournalWriter, readJournal } from './journal.js';
import { readJsonFile, replaceJsonFile } from './snapshot-file.js';
import { StoreUnavailableError } from '../store-errors.js';

/** What a journalled state needs to know about its content: how to rebuild it, change it and write it whole. */
export interface JournalledContent<State, Change> {
  /** The state the snapshot file holds (null when there is none yet), and the last journal sequence it includes. */
  restore(snapshot: unknown, path: string): { state: State; lastSequence: number };
  /** Applies one change, just journalled or replayed at open; must give the same state both ways. */
  apply(state: State, change: Change): void;
  /** The snapshot file's JSON value; iterators inside are written as arrays. */
  snapshot(state: State, lastSequence: number): unknown;
}

export interface JournalledFiles {
  dataDir: string;
  snapshotFile: string;
  journalFile: string;
  /** Journal size in bytes past which the state is compacted into the snapshot file. */
  compactionThresholdBytes: number;
  /** Named in the error writes get after `close()`. */
  description: string;
}

/**
 * State held in memory, every change one fsync'd journal line before it is applied, compacted
 * into a snapshot file when the journal grows past its threshold: the base both embedded stores
 * (flags/keys/audit, usage) are built on. Writes run one at a time (`serialize`); a compaction
 * runs in the turn of the write that crossed the threshold, so the state it writes cannot change
 * under it, and writes the snapshot a chunk at a time, so the event loop (reads, evaluations,
 * health) never waits for it; only writes queue behind it.
 */
export class JournalledState<State, Change> {
  private queue: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  private closed = false;

  private constructor(
    readonly state: State,
    private sequence: number,
    private readonly journal: JournalWriter,
    private readonly files: JournalledFiles,
    private readonly content: JournalledContent<State, Change>,
  ) {}

  /** Loads the snapshot, replays the journal after it and cuts off a torn tail. */
  static async open<State, Change>(
    files: JournalledFiles,
    content: JournalledContent<State, Change>,
  ): Promise<JournalledState<State, Change>> {
    const snapshotPath = join(files.dataDir, files.snapshotFile);
    const restored = content.restore(await readJsonFile(snapshotPath), snapshotPath);
    let sequence = restored.lastSequence;
    const journalPath = join(files.dataDir, files.journalFile);
    const { entries, intactLength } = await readJournal(journalPath);
    for (const entry of entries) {
      // Entries up to the snapshot's are already in it (a crash between snapshot and journal truncation).
      if (entry.sequence <= sequence) continue;
      content.apply(restored.state, entry.mutation as Change);
      sequence = entry.sequence;
    }
    const journal = await JournalWriter.open(journalPath, intactLength);
    return new JournalledState(restored.state, sequence, journal, files, content);
  }

  /** Runs `write` after every earlier write finished; writes never interleave. */
  serialize<T>(write: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      this.assertOpen();
      return write();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Journals the change (fsync'd), then applies it. Call inside `serialize`. */
  async commit(change: Change): Promise<void> {
    const sequence = this.sequence + 1;
    try {
      await this.journal.append(encodeJournalLine({ sequence, mutation: change }));
    } catch (error) {
      // The journal could not take the line back either: refuse writes rather than risk a corrupt journal.
      if (this.journal.broken) this.failure = error;
      throw new StoreUnavailableError(error);
    }
    this.sequence = sequence;
    this.content.apply(this.state, change);
    // Still this write's turn in the queue: no write can change the state while the snapshot is written.
    if (this.journal.size >= this.files.compactionThresholdBytes) await this.compact().catch(() => undefined);
  }

  /** Writes the snapshot and empties the journal; a failure leaves the journal in charge, so nothing is lost. Call inside `serialize`. */
  async compact(): Promise<void> {
    const path = join(this.files.dataDir, this.files.snapshotFile);
    await replaceJsonFile(path, this.content.snapshot(this.state, this.sequence));
    await this.journal.clear();
  }

  /** Throws StoreUnavailableError once closed, or once a failed write left the journal unusable. */
  assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError(new Error(`${this.files.description} is closed`));
    if (this.failure) throw new StoreUnavailableError(this.failure);
  }

  /** Waits for queued writes, compacts and closes the journal. */
  async close(): Promise<void> {
    await this.serialize(async () => {
      this.closed = true;
      await this.compact().catch(() => undefined);
    }).catch(() => undefined);
    this.closed = true;
    await this.journal.close().catch(() => undefined);
  }
}
