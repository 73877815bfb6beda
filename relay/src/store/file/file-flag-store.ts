import type { Flag } from '@switchyard/core';
import type { FileStoreCore } from './file-store.js';
import { assertFlagQuery, assertName, assertVersion, matchesFlagQuery } from '../flag-query.js';
import type { FlagChangeRecord, FlagQuery, FlagStore, HistoryPage, RetentionCut, StoredFlag } from '../store.js';
import { prunedHistory } from './memory-state.js';
import { assertRetentionCut } from '../retention.js';
import { compareNames, storedFlag } from '../stored-flag.js';
import { FlagExistsError, FlagNotFoundError, VersionConflictError } from '../store-errors.js';

/** The embedded store's flags: reads answer from memory, writes go through the journal one at a time. */
export class FileFlagStore implements FlagStore {
  constructor(private readonly core: FileStoreCore) {}

  async list(query: FlagQuery): Promise<StoredFlag[]> {
    assertFlagQuery(query);
    const after = query.after;
    const matching = [...this.core.state.flags.values()]
      .filter((flag) => (after === undefined || flag.name > after) && matchesFlagQuery(flag, query))
      .sort((a, b) => compareNames(a.name, b.name));
    return structuredClone(matching.slice(0, query.limit ?? matching.length));
  }

  async get(name: string): Promise<StoredFlag | null> {
    assertName(name);
    return structuredClone(this.core.state.flags.get(name) ?? null);
  }

  async history(name: string, page: HistoryPage = {}): Promise<StoredFlag[]> {
    assertName(name);
    const after = page.afterVersion ?? 0;
    const versions = (this.core.state.history.get(name) ?? []).filter((flag) => flag.version > after);
    return structuredClone(page.limit === undefined ? versions : versions.slice(0, page.limit));
  }

  async create(flag: Flag): Promise<StoredFlag> {
    assertName(flag.name);
    return this.core.serialize(async () => {
      if (this.core.state.flags.has(flag.name)) throw new FlagExistsError(flag.name);
      const at = new Date().toISOString();
      const stored = storedFlag(flag, {
        version: 1,
        revision: this.core.state.revision + 1,
        createdAt: at,
        updatedAt: at,
      });
      await this.core.commit({ op: 'flag.put', flag: stored });
      return structuredClone(stored);
    });
  }

  async update(flag: Flag, expectedVersion: number): Promise<StoredFlag> {
    assertName(flag.name);
    assertVersion(expectedVersion);
    return this.core.serialize(async () => {
      const current = this.current(flag.name, expectedVersion);
      const stored = storedFlag(flag, {
        version: current.version + 1,
        revision: this.core.state.revision + 1,
        createdAt: current.createdAt,
        updatedAt: new Date().toISOString(),
      });
      await this.core.commit({ op: 'flag.put', flag: stored });
      return structuredClone(stored);
    });
  }

  async delete(name: string, expectedVersion?: number): Promise<FlagChangeRecord> {
    assertName(name);
    if (expectedVersion !== undefined) assertVersion(expectedVersion);
    return this.core.serialize(async () => {
      this.current(name, expectedVersion);
      const record: FlagChangeRecord = {
        revision: this.core.state.revision + 1,
        flagName: name,
        kind: 'delete',
        at: new Date().toISOString(),
      };
      await this.core.commit({ op: 'flag.delete', name, revision: record.revision, at: record.at });
      return record;
    });
  }

  async changesSince(revision: number, limit: number): Promise<FlagChangeRecord[]> {
    const changes = this.core.state.changes;
    const start = firstAbove(changes, revision);
    return structuredClone(changes.slice(start, start + Math.max(0, limit)));
  }

  async currentRevision(): Promise<number> {
    return this.core.state.revision;
  }

  async oldestRevision(): Promise<number> {
    return this.core.state.oldestRevision;
  }

  async pruneHistory(cut: RetentionCut): Promise<number> {
    assertRetentionCut(cut);
    return this.core.serialize(async () => {
      let dropped = 0;
      for (const versions of this.core.state.history.values())
        dropped += versions.length - prunedHistory(versions, cut).length;
      if (dropped > 0) await this.core.commit({ op: 'history.prune', cut: { ...cut } });
      return dropped;
    });
  }

  private current(name: string, expectedVersion: number | undefined): StoredFlag {
    const current = this.core.state.flags.get(name);
    if (!current) throw new FlagNotFoundError(name);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new VersionConflictError(name, expectedVersion, current.version);
    }
    return current;
  }
}

/** Index of the first change with a revision above `revision` (binary search; changes ascend). */
function firstAbove(changes: FlagChangeRecord[], revision: number): number {
  let low = 0;
  let high = changes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (changes[middle]!.revision <= revision) low = middle + 1;
    else high = middle;
  }
  return low;
}
