import { join } from 'node:path';
import { encodeJournalLine, JournalWriter, readJournal } from '../file/journal.js';
import type { Mutation } from '../file/memory-state.js';
import { StoreCorruptError, StoreUnavailableError } from '../store-errors.js';
import { readJsonFile, replaceJsonFile } from '../file/snapshot-file.js';
import { UsageMemoryState, type UsageSnapshot } from './usage-memory-state.js';
import type {
  LastEvaluation,
  UniqueSetQuery,
  UniqueSetRecord,
  UsageBucket,
  UsageDelta,
  UsageRange,
  UsageStore,
} from './usage-store.js';

const USAGE_SNAPSHOT_FILE = 'usage-snapshot.json';
export const USAGE_JOURNAL_FILE = 'usage-journal.jsonl';
/** Journal size in bytes past which usage is compacted into its snapshot file. */
const USAGE_COMPACTION_THRESHOLD_BYTES = 16 * 1024 * 1024;

/**
 * The embedded store's usage: in memory, every applied delta one fsync'd line of its own journal
 * (same line format and torn-tail handling as the flag journal), compacted into a snapshot file.
 * Kept apart from the flag journal so that analytics volume never slows flag writes or startup
 * replay of flags. Runs inside the data directory the FileStore has locked.
 */
export class UsageFileStore implements UsageStore {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Deltas already journalled: applying one again (a retry) changes nothing. */
  private readonly applied = new WeakSet<UsageDelta>();

  private constructor(
    private readonly state: UsageMemoryState,
    private sequence: number,
    private readonly journal: JournalWriter,
    private readonly dataDir: string,
    private readonly compactionThresholdBytes: number,
  ) {}

  static async open(
    dataDir: string,
    compactionThresholdBytes = USAGE_COMPACTION_THRESHOLD_BYTES,
  ): Promise<UsageFileStore> {
    const snapshot = await readUsageSnapshot(join(dataDir, USAGE_SNAPSHOT_FILE));
    const state = snapshot ? UsageMemoryState.fromSnapshot(snapshot.data) : new UsageMemoryState();
    let sequence = snapshot?.lastSequence ?? 0;
    const journalPath = join(dataDir, USAGE_JOURNAL_FILE);
    const { entries, intactLength } = await readJournal(journalPath);
    for (const entry of entries) {
      if (entry.sequence <= sequence) continue;
      applyChange(state, entry.mutation as unknown as UsageChange);
      sequence = entry.sequence;
    }
    const journal = await JournalWriter.open(journalPath, intactLength);
    return new UsageFileStore(state, sequence, journal, dataDir, compactionThresholdBytes);
  }

  async apply(delta: UsageDelta): Promise<void> {
    if (this.applied.has(delta)) return;
    await this.commit(delta);
    this.applied.add(delta);
  }

  deleteBefore(hourStart: string): Promise<void> {
    return this.commit({ deleteBefore: hourStart });
  }

  /** Journals the change (fsync'd), then applies it. */
  private commit(change: UsageChange): Promise<void> {
    return this.serialize(async () => {
      const sequence = this.sequence + 1;
      // The flag journal's line format, with a usage change where a flag mutation would be.
      const line = encodeJournalLine({ sequence, mutation: change as unknown as Mutation });
      try {
        await this.journal.append(line);
      } catch (error) {
        throw new StoreUnavailableError(error);
      }
      this.sequence = sequence;
      applyChange(this.state, change);
      if (this.journal.size >= this.compactionThresholdBytes) await this.compact().catch(() => undefined);
    });
  }

  async buckets(range: UsageRange): Promise<UsageBucket[]> {
    return this.state.buckets(range);
  }

  async uniqueSets(query: UniqueSetQuery): Promise<UniqueSetRecord[]> {
    return this.state.uniqueSets(query);
  }

  async lastEvaluations(): Promise<LastEvaluation[]> {
    return this.state.lastEvaluations();
  }

  /** Waits for pending writes, compacts and closes the journal. */
  async close(): Promise<void> {
    await this.serialize(async () => {
      this.closed = true;
      await this.compact().catch(() => undefined);
    }).catch(() => undefined);
    this.closed = true;
    await this.journal.close().catch(() => undefined);
  }

  private async compact(): Promise<void> {
    await replaceJsonFile(join(this.dataDir, USAGE_SNAPSHOT_FILE), {
      lastSequence: this.sequence,
      data: this.state.toSnapshot(),
    });
    await this.journal.clear();
  }

  private serialize<T>(write: () => Promise<T>): Promise<T> {
    const result = this.queue.then(() => {
      if (this.closed) throw new StoreUnavailableError(new Error('the usage store is closed'));
      return write();
    });
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** One journal line: a flush's delta, or a retention cut. */
type UsageChange = UsageDelta | { deleteBefore: string };

function applyChange(state: UsageMemoryState, change: UsageChange): void {
  if ('deleteBefore' in change) state.deleteBefore(change.deleteBefore);
  else state.apply(change);
}

async function readUsageSnapshot(path: string): Promise<{ lastSequence: number; data: UsageSnapshot } | null> {
  const parsed = (await readJsonFile(path)) as { lastSequence: number; data?: UsageSnapshot } | null;
  if (parsed !== null && parsed.data?.format !== 1)
    throw new StoreCorruptError(path, `unknown format ${String(parsed.data?.format)}`);
  return parsed as { lastSequence: number; data: UsageSnapshot } | null;
}
