import { JournalledState, type JournalledContent } from '../file/journalled-state.js';
import { StoreCorruptError } from '../store-errors.js';
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
 * The embedded store's usage: in memory, every applied delta one fsync'd line of its own journal,
 * compacted into a snapshot file (the same journalled-state base as the flag store). Kept apart
 * from the flag journal so that analytics volume never slows flag writes or startup replay of
 * flags. Runs inside the data directory the FileStore has locked.
 */
export class UsageFileStore implements UsageStore {
  /** Deltas already journalled: applying one again (a retry) changes nothing. */
  private readonly applied = new WeakSet<UsageDelta>();

  private constructor(private readonly journalled: JournalledState<UsageMemoryState, UsageChange>) {}

  static async open(
    dataDir: string,
    compactionThresholdBytes = USAGE_COMPACTION_THRESHOLD_BYTES,
  ): Promise<UsageFileStore> {
    const files = {
      dataDir,
      snapshotFile: USAGE_SNAPSHOT_FILE,
      journalFile: USAGE_JOURNAL_FILE,
      compactionThresholdBytes,
      description: 'the usage store',
    };
    return new UsageFileStore(await JournalledState.open(files, usageContent));
  }

  async apply(delta: UsageDelta): Promise<void> {
    if (this.applied.has(delta)) return;
    await this.commit(delta);
    this.applied.add(delta);
  }

  deleteBefore(hourStart: string): Promise<void> {
    return this.commit({ deleteBefore: hourStart });
  }

  private commit(change: UsageChange): Promise<void> {
    return this.journalled.serialize(() => this.journalled.commit(change));
  }

  async buckets(range: UsageRange): Promise<UsageBucket[]> {
    return this.journalled.state.buckets(range);
  }

  async uniqueSets(query: UniqueSetQuery): Promise<UniqueSetRecord[]> {
    return this.journalled.state.uniqueSets(query);
  }

  async lastEvaluations(): Promise<LastEvaluation[]> {
    return this.journalled.state.lastEvaluations();
  }

  /** Waits for pending writes, compacts and closes the journal. */
  close(): Promise<void> {
    return this.journalled.close();
  }
}

/** One journal line: a flush's delta, or a retention cut. */
type UsageChange = UsageDelta | { deleteBefore: string };

function applyChange(state: UsageMemoryState, change: UsageChange): void {
  if ('deleteBefore' in change) state.deleteBefore(change.deleteBefore);
  else state.apply(change);
}

/** The snapshot file holds `{ lastSequence, data: UsageSnapshot }` (format 1). */
const usageContent: JournalledContent<UsageMemoryState, UsageChange> = {
  restore(snapshot, path) {
    if (snapshot === null) return { state: new UsageMemoryState(), lastSequence: 0 };
    const parsed = snapshot as { lastSequence: number; data?: UsageSnapshot };
    if (parsed.data?.format !== 1) throw new StoreCorruptError(path, `unknown format ${String(parsed.data?.format)}`);
    return { state: UsageMemoryState.fromSnapshot(parsed.data), lastSequence: parsed.lastSequence };
  },
  apply: applyChange,
  snapshot: (state, lastSequence) => ({ lastSequence, data: state.toSnapshot() }),
};
