import type { Collection } from 'mongodb';
import { isDuplicateKey } from './mongo-errors.js';
import {
  fromChangeDocument,
  fromData,
  toChangeDocument,
  type CounterDocument,
  type FlagChangeDocument,
  type FlagDocument,
  type FlagVersionDocument,
} from './mongo-documents.js';
import type { FlagChangeRecord, StoredFlag } from '../store.js';

export interface ChangeLogSettings {
  /** How long a reserved revision may stay pending before readers pass it as failed. */
  gapSettleMs: number;
  /** Change-log entries kept; older ones are pruned (see `oldestRevision`). */
  changeLogRetention: number;
}

/** Pruning runs on every write whose revision is a multiple of this. */
const PRUNE_EVERY = 100;
const FLOOR = 'changeLogFloor';
const RESERVE_ATTEMPTS = 100;

export interface MongoChangeLogCollections {
  changes: Collection<FlagChangeDocument>;
  versions: Collection<FlagVersionDocument>;
  flags: Collection<FlagDocument>;
  counters: Collection<CounterDocument>;
}

/**
 * The global revision sequence and the change log, built from inserts only (the unique revision
 * index), because FerretDB does not apply `$inc` or conditional updates atomically. A writer
 * reserves the next revision as a `pending` entry before it writes and completes the entry after,
 * so readers may meet a pending revision N while N+1 is complete. They stop there until N is
 * resolved: its write is visible (the entry is completed from the version it claimed), its writer
 * marked it `skip`, or it stayed pending for `gapSettleMs`. See docs/storage.md.
 */
export class MongoChangeLog {
  /** When this process first saw each still-pending revision. */
  private readonly pendingSeenAt = new Map<number, number>();
  /** Every revision up to here is resolved; only grows. */
  private settled = 0;

  constructor(
    private readonly collections: MongoChangeLogCollections,
    private readonly settings: ChangeLogSettings,
  ) {}

  /** Takes the next revision by inserting its pending entry; retries past revisions others took. */
  async reserve(flagName: string): Promise<number> {
    let revision = (await this.highestRevision()) + 1;
    for (let attempt = 0; attempt < RESERVE_ATTEMPTS; attempt += 1) {
      try {
        await this.collections.changes.insertOne({ revision, kind: 'pending', flagName, at: new Date().toISOString() });
        return revision;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        revision = Math.max(revision + 1, (await this.highestRevision()) + 1);
      }
    }
    throw new Error(`no free revision after ${RESERVE_ATTEMPTS} attempts`);
  }

  /** Completes a reserved entry with what was written. */
  async complete(change: FlagChangeRecord): Promise<void> {
    await this.collections.changes.updateOne({ revision: change.revision }, { $set: toChangeDocument(change) });
    if (change.revision % PRUNE_EVERY === 0) await this.prune(change.revision);
  }

  /** Marks a reserved revision as used up by a failed write, so readers need not wait. Best effort. */
  async skip(revision: number): Promise<void> {
    await this.collections.changes
      .updateOne({ revision, kind: 'pending' }, { $set: { kind: 'skip' } })
      .catch(() => undefined);
  }

  async changesSince(revision: number, limit: number): Promise<FlagChangeRecord[]> {
    const found: FlagChangeRecord[] = [];
    if (limit <= 0) return found;
    await this.walk(revision, true, (change) => {
      found.push(change);
      return found.length < limit;
    });
    return found;
  }

  async currentRevision(): Promise<number> {
    this.settled = Math.max(this.settled, await this.walk(this.settled, false, () => true));
    return this.settled;
  }

  async oldestRevision(): Promise<number> {
    return (await this.collections.counters.findOne({ _id: FLOOR }))?.value ?? 0;
  }

  private async highestRevision(): Promise<number> {
    const [last] = await this.collections.changes
      .find({}, { projection: { _id: 0, revision: 1 } })
      .sort({ revision: -1 })
      .limit(1)
      .toArray();
    return Math.max(last?.revision ?? 0, await this.oldestRevision());
  }

  /** Visits changes after `revision` in order until `visit` says stop or one is still pending; returns the last revision passed. */
  private async walk(
    revision: number,
    withData: boolean,
    visit: (change: FlagChangeRecord) => boolean,
  ): Promise<number> {
    const from = Math.max(revision, await this.oldestRevision());
    const projection = withData ? { _id: 0 } : { _id: 0, data: 0 };
    const cursor = this.collections.changes.find({ revision: { $gt: from } }, { projection }).sort({ revision: 1 });
    let passed = from;
    try {
      for await (const document of cursor) {
        const change = document.kind === 'pending' ? await this.resolvePending(document.revision) : document;
        if (change === 'pending') return passed;
        passed = document.revision;
        if (change.kind !== 'skip' && !visit(fromChangeDocument(change))) return passed;
      }
      return passed;
    } finally {
      await cursor.close();
    }
  }

  /** A pending entry is complete once its writer claimed a version (or, for a create, inserted the flag). */
  private async resolvePending(revision: number): Promise<FlagChangeDocument | 'pending'> {
    const claimed =
      (await this.collections.versions.findOne({ revision }, { projection: { _id: 0 } })) ??
      (await this.collections.flags.findOne({ revision }, { projection: { _id: 0 } }));
    if (claimed) {
      const change: FlagChangeRecord =
        'deleted' in claimed && claimed.deleted
          ? { revision, flagName: claimed.name, kind: 'delete', at: claimed.deletedAt ?? '' }
          : changeOf(fromData<StoredFlag>(claimed));
      await this.complete(change);
      this.pendingSeenAt.delete(revision);
      return toChangeDocument(change);
    }
    if (revision <= this.settled) return { revision, kind: 'skip', at: '' };
    const now = Date.now();
    const seenAt = this.pendingSeenAt.get(revision) ?? now;
    this.pendingSeenAt.set(revision, seenAt);
    if (now - seenAt < this.settings.gapSettleMs) return 'pending';
    await this.skip(revision);
    this.pendingSeenAt.delete(revision);
    return { revision, kind: 'skip', at: '' };
  }

  /** Raises the floor first, then deletes below it, so a reader never misses entries without knowing. */
  private async prune(revision: number): Promise<void> {
    const floor = revision - this.settings.changeLogRetention;
    if (floor <= 0) return;
    // `$max` is not atomic on FerretDB: check, and raise again if a concurrent pruner lowered it.
    for (let attempt = 0; attempt < 3 && (await this.oldestRevision()) < floor; attempt += 1) {
      await this.collections.counters
        .updateOne({ _id: FLOOR }, { $max: { value: floor } }, { upsert: true })
        .catch((error: unknown) => {
          if (!isDuplicateKey(error)) throw error;
        });
    }
    await this.collections.changes.deleteMany({ revision: { $lte: floor } });
  }
}

export function changeOf(flag: StoredFlag): FlagChangeRecord {
  return { revision: flag.revision, flagName: flag.name, kind: 'upsert', flag, at: flag.updatedAt };
}
