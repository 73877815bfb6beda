import type { FlagStore, StoredFlag } from '../../store/store.js';
import type { AppliedChange, FlagMap } from '../flags/flag-map.js';

/** The sync's limits; each is a setting (docs/scaling.md). */
export interface FlagSyncOptions {
  /** How often the `flag-sync` job asks the store for changes made by any relay (SWITCHYARD_SYNC_INTERVAL_MS). */
  intervalMs: number;
  /** Changes read per query; a relay further behind reads several batches in one poll (SWITCHYARD_SYNC_BATCH_SIZE). */
  batchSize: number;
}

export const DEFAULT_SYNC_OPTIONS: FlagSyncOptions = { intervalMs: 250, batchSize: 500 };

/** Told of what the sync applied to the flag map, in revision order. */
export interface SyncListener {
  changed(changes: AppliedChange[]): void;
  /** Every flag was reloaded (first load, or the change log no longer reached back far enough). */
  reloaded(flags: StoredFlag[], revision: number): void;
}

export interface SyncStatus {
  /** Whether the last attempt to reach the store succeeded. */
  storeReachable: boolean;
  revision: number;
  lastSuccessAt?: string;
  lastError?: string;
}

const LIST_PAGE_SIZE = 500;

/**
 * Keeps the flag map (and through the listener, the streams) up to date with the store, whichever
 * relay or job wrote: a revision poll, because change streams are not available on standalone
 * MongoDB or FerretDB. The `flag-sync` job polls every `intervalMs` (relay/src/jobs); a write on this
 * relay polls at once. Polls never overlap: `pollNow()` during a poll runs one more right after it.
 * While the store is unreachable the flag map keeps serving; the next successful poll catches up
 * from the last revision applied.
 */
export class FlagSync {
  private running: Promise<void> | undefined;
  private again = false;
  private state: SyncStatus = { storeReachable: false, revision: 0 };

  constructor(
    private readonly store: FlagStore,
    private readonly flagMap: FlagMap,
    private readonly listener: SyncListener,
    private readonly options: FlagSyncOptions = DEFAULT_SYNC_OPTIONS,
  ) {}

  /** Loads every flag; rejects if the store is unreachable (the `flag-sync` job keeps trying). */
  async start(): Promise<void> {
    await this.pollNow();
    if (!this.flagMap.loaded) throw new Error(this.state.lastError ?? 'the flag store is unreachable');
  }

  /** Polls now (or right after the running poll); resolves when the store has been read. */
  pollNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pollUntilIdle().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  status(): SyncStatus {
    return { ...this.state, revision: this.flagMap.revision };
  }

  private async pollUntilIdle(): Promise<void> {
    do {
      this.again = false;
      try {
        await (this.flagMap.loaded ? this.follow() : this.reload());
        this.state = { storeReachable: true, revision: this.flagMap.revision, lastSuccessAt: new Date().toISOString() };
      } catch (error) {
        this.state = {
          ...this.state,
          storeReachable: false,
          lastError: error instanceof Error ? error.message : String(error),
        };
        return;
      }
    } while (this.again);
  }

  /** Reads changes after the flag map's revision, batch after batch, until none are left. */
  private async follow(): Promise<void> {
    for (;;) {
      const from = this.flagMap.revision;
      const records = await this.store.changesSince(from, this.options.batchSize);
      if (records.length === 0) return;
      // A skipped revision may be a failed write, or the change log pruned past us: only the latter needs a reload.
      if (records[0]!.revision > from + 1 && from < (await this.store.oldestRevision())) {
        await this.reload();
        return;
      }
      const applied: AppliedChange[] = [];
      for (const record of records) {
        const change = this.flagMap.apply(record);
        if (change) applied.push(change);
      }
      this.listener.changed(applied);
      if (records.length < this.options.batchSize) return;
    }
  }

  private async reload(): Promise<void> {
    const revision = await this.store.currentRevision();
    const flags: StoredFlag[] = [];
    for (let after: string | undefined; ;) {
      const page = await this.store.list({ limit: LIST_PAGE_SIZE, ...(after === undefined ? {} : { after }) });
      flags.push(...page);
      if (page.length < LIST_PAGE_SIZE) break;
      after = page[page.length - 1]!.name;
    }
    this.flagMap.load(flags, revision);
    this.listener.reloaded(flags, revision);
  }
}
