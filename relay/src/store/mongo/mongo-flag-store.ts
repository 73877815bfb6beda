import type { Flag } from '@switchyard/core';
import type { Collection, Filter } from 'mongodb';
import { ANY_ENVIRONMENT_KEY, assertFlagQuery, assertName, assertVersion } from '../flag-query.js';
import { changeOf, type MongoChangeLog } from './mongo-change-log.js';
import {
  fromData,
  toFlagDocument,
  toVersionDocument,
  type FlagDocument,
  type FlagVersionDocument,
} from './mongo-documents.js';
import { guarded, isDuplicateKey } from './mongo-errors.js';
import { settleFlag } from './mongo-flag-settle.js';
import type { FlagChangeRecord, FlagQuery, FlagStore, HistoryPage, RetentionCut, StoredFlag } from '../store.js';
import { ALWAYS_KEPT_VERSIONS, assertRetentionCut } from '../retention.js';
import { FlagExistsError, FlagNotFoundError, StoreUnavailableError, VersionConflictError } from '../store-errors.js';
import { storedFlag } from '../stored-flag.js';

type CurrentFlag = StoredFlag & { incarnation: number };

/**
 * Flags in MongoDB or FerretDB, without transactions. A write reserves a revision, then claims its
 * version with an insert (unique index: exactly one writer gets each version), then settles the
 * `flags` document and completes the change entry. Everything after the claim is idempotent and
 * finished by whoever comes next if the writer dies. See docs/storage.md.
 */
export class MongoFlagStore implements FlagStore {
  constructor(
    private readonly flags: Collection<FlagDocument>,
    private readonly versions: Collection<FlagVersionDocument>,
    private readonly changeLog: MongoChangeLog,
    private readonly gapSettleMs: number,
  ) {}

  async list(query: FlagQuery): Promise<StoredFlag[]> {
    assertFlagQuery(query);
    if (query.limit === 0) return [];
    return guarded(async () => {
      const cursor = this.flags.find(listFilter(query), { projection: { _id: 0, data: 1 } }).sort({ name: 1 });
      if (query.limit !== undefined) cursor.limit(query.limit);
      return (await cursor.toArray()).map((document) => fromData<StoredFlag>(document));
    });
  }

  async get(name: string): Promise<StoredFlag | null> {
    assertName(name);
    const document = await guarded(() => this.flags.findOne({ name }, { projection: { _id: 0 } }));
    return document ? fromData<StoredFlag>(document) : null;
  }

  async history(name: string, page: HistoryPage = {}): Promise<StoredFlag[]> {
    assertName(name);
    return guarded(async () => {
      const current = await this.flags.findOne({ name }, { projection: { _id: 0, incarnation: 1 } });
      if (!current) return [];
      const filter = {
        name,
        incarnation: current.incarnation,
        deleted: { $ne: true },
        version: { $gt: page.afterVersion ?? 0 },
      };
      const cursor = this.versions.find(filter, { projection: { _id: 0 } }).sort({ version: 1 });
      const documents = await (page.limit === undefined ? cursor : cursor.limit(page.limit)).toArray();
      return documents.map((document) => fromData<StoredFlag>(document));
    });
  }

  async pruneHistory(cut: RetentionCut): Promise<number> {
    assertRetentionCut(cut);
    const { before, keepNewest } = cut;
    if (keepNewest === undefined && before === undefined) return 0;
    return guarded(async () => {
      let dropped = 0;
      const flags = this.flags.find({}, { projection: { _id: 0, name: 1, incarnation: 1, version: 1 } });
      for await (const { name, incarnation, version } of flags) {
        // The versions a rollback of the last change needs stay; of the older ones, too many or too old go.
        const result = await this.versions.deleteMany({
          name,
          incarnation,
          version: { $lte: version - ALWAYS_KEPT_VERSIONS },
          $or: [
            ...(keepNewest === undefined ? [] : [{ version: { $lte: version - keepNewest } }]),
            ...(before === undefined ? [] : [{ updatedAt: { $lt: before } }]),
          ],
        });
        dropped += result.deletedCount;
      }
      return dropped;
    });
  }

  async create(flag: Flag): Promise<StoredFlag> {
    assertName(flag.name);
    return guarded(async () => {
      if (await this.flags.findOne({ name: flag.name }, { projection: { _id: 1 } }))
        throw new FlagExistsError(flag.name);
      const { revision, reservedAt } = await this.reserve(flag.name);
      const at = new Date().toISOString();
      const stored = storedFlag(flag, { version: 1, revision, createdAt: at, updatedAt: at });
      await this.claim(
        revision,
        reservedAt,
        () => this.flags.insertOne(toFlagDocument(stored, revision)),
        () => {
          throw new FlagExistsError(flag.name);
        },
      );
      await this.versions.insertOne(toVersionDocument(stored, revision)).catch(ignoreDuplicate);
      await this.changeLog.complete(changeOf(stored));
      return stored;
    });
  }

  async update(flag: Flag, expectedVersion: number): Promise<StoredFlag> {
    assertName(flag.name);
    assertVersion(expectedVersion);
    return guarded(async () => {
      const current = await this.current(flag.name, expectedVersion);
      const { revision, reservedAt } = await this.reserve(flag.name);
      const updatedAt = new Date().toISOString();
      const stored = storedFlag(flag, {
        version: expectedVersion + 1,
        revision,
        createdAt: current.createdAt,
        updatedAt,
      });
      await this.claim(
        revision,
        reservedAt,
        () => this.versions.insertOne(toVersionDocument(stored, current.incarnation)),
        () => this.conflict(flag.name, current.incarnation, expectedVersion),
      );
      await settleFlag(this.flags, this.versions, flag.name, current.incarnation);
      await this.changeLog.complete(changeOf(stored));
      return stored;
    });
  }

  async delete(name: string, expectedVersion?: number): Promise<FlagChangeRecord> {
    assertName(name);
    if (expectedVersion !== undefined) assertVersion(expectedVersion);
    return guarded(async () => {
      const current = await this.current(name, expectedVersion);
      const { revision, reservedAt } = await this.reserve(name);
      const at = new Date().toISOString();
      const { incarnation } = current;
      const tombstone: FlagVersionDocument = {
        name,
        incarnation,
        version: current.version + 1,
        revision,
        deleted: true,
        deletedAt: at,
        data: 'null',
      };
      await this.claim(
        revision,
        reservedAt,
        () => this.versions.insertOne(tombstone),
        () => this.conflict(name, incarnation, current.version),
      );
      await settleFlag(this.flags, this.versions, name, incarnation);
      const record: FlagChangeRecord = { revision, flagName: name, kind: 'delete', at };
      await this.changeLog.complete(record);
      await this.versions.deleteMany({ name, incarnation, deleted: { $ne: true } });
      return record;
    });
  }

  async changesSince(revision: number, limit: number): Promise<FlagChangeRecord[]> {
    assertVersion(revision);
    return guarded(() => this.changeLog.changesSince(revision, limit));
  }

  currentRevision(): Promise<number> {
    return guarded(() => this.changeLog.currentRevision());
  }

  oldestRevision(): Promise<number> {
    return guarded(() => this.changeLog.oldestRevision());
  }

  /** The stored flag; FlagNotFoundError, or VersionConflictError when it is not at `expectedVersion`. */
  private async current(name: string, expectedVersion: number | undefined): Promise<CurrentFlag> {
    let document = await this.flags.findOne({ name }, { projection: { _id: 0 } });
    if (document && expectedVersion !== undefined && document.version !== expectedVersion) {
      // The document may lag a claimed version whose writer is still at work, or died.
      await settleFlag(this.flags, this.versions, name, document.incarnation);
      document = await this.flags.findOne({ name }, { projection: { _id: 0 } });
    }
    if (!document) throw new FlagNotFoundError(name);
    if (expectedVersion !== undefined && document.version !== expectedVersion) {
      throw new VersionConflictError(name, expectedVersion, document.version);
    }
    return { ...fromData<StoredFlag>(document), incarnation: document.incarnation };
  }

  private async reserve(name: string): Promise<{ revision: number; reservedAt: number }> {
    return { revision: await this.changeLog.reserve(name), reservedAt: Date.now() };
  }

  /**
   * Runs the claiming insert. A duplicate means another writer came first: the revision is marked
   * skipped and `lost` throws. A claim attempted long after the reservation gives up instead,
   * because readers may have passed the revision as failed by the time it landed.
   */
  private async claim(
    revision: number,
    reservedAt: number,
    insert: () => Promise<unknown>,
    lost: () => Promise<never> | never,
  ): Promise<void> {
    if (Date.now() - reservedAt > this.gapSettleMs / 2) {
      await this.changeLog.skip(revision);
      throw new StoreUnavailableError(new Error('the database answered too slowly to write in order'));
    }
    try {
      await insert();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.changeLog.skip(revision);
      await lost();
    }
  }

  private async conflict(name: string, incarnation: number, expectedVersion: number): Promise<never> {
    await settleFlag(this.flags, this.versions, name, incarnation);
    const document = await this.flags.findOne({ name }, { projection: { _id: 0, version: 1 } });
    if (!document) throw new FlagNotFoundError(name);
    throw new VersionConflictError(name, expectedVersion, document.version);
  }
}

function ignoreDuplicate(error: unknown): void {
  if (!isDuplicateKey(error)) throw error;
}

function listFilter(query: FlagQuery): Filter<FlagDocument> {
  const filter: Filter<FlagDocument> = {};
  if (query.after !== undefined) filter.name = { $gt: query.after };
  if (query.environment !== undefined) filter.environmentNames = { $in: [query.environment, ANY_ENVIRONMENT_KEY] };
  if (query.tag !== undefined) filter.tags = query.tag;
  if (query.text !== undefined) {
    const pattern = { $regex: escapeRegExp(query.text), $options: 'i' };
    filter.$or = [{ name: pattern }, { description: pattern }];
  }
  return filter;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
