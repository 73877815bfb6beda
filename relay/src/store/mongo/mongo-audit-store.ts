import type { Collection, Filter } from 'mongodb';
import { assertAuditQuery } from '../audit-query.js';
import { fromData, toAuditDocument, type AuditDocument } from './mongo-documents.js';
import { guarded } from './mongo-errors.js';
import { AuditEntryNotFoundError } from '../store-errors.js';
import type { AuditEntry, AuditQuery, AuditStore, RetentionCut } from '../store.js';
import { assertRetentionCut } from '../retention.js';

/** Entries with the same `at` order by `_id`: ObjectIds a process generates only grow. */
export class MongoAuditStore implements AuditStore {
  constructor(private readonly audit: Collection<AuditDocument>) {}

  async append(entry: AuditEntry): Promise<void> {
    await guarded(() => this.audit.insertOne(toAuditDocument(entry)));
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    assertAuditQuery(query);
    if (query.limit === 0) return [];
    return guarded(async () => {
      const filter: Filter<AuditDocument> = {};
      if (query.flagName !== undefined) filter.flagName = query.flagName;
      if (query.since !== undefined) filter.at = { $gte: query.since };
      if (query.after !== undefined) {
        const anchor = await this.audit.findOne({ id: query.after }, { projection: { at: 1 } });
        if (anchor === null) throw new AuditEntryNotFoundError(query.after);
        filter.$or = [{ at: { $lt: anchor.at } }, { at: anchor.at, _id: { $lt: anchor._id } }];
      }
      const cursor = this.audit.find(filter, { projection: { _id: 0, data: 1 } }).sort({ at: -1, _id: -1 });
      if (query.limit !== undefined) cursor.limit(query.limit);
      return (await cursor.toArray()).map((document) => fromData<AuditEntry>(document));
    });
  }

  async prune(cut: RetentionCut): Promise<number> {
    assertRetentionCut(cut);
    return guarded(async () => {
      let dropped = 0;
      if (cut.before !== undefined) dropped += (await this.audit.deleteMany({ at: { $lt: cut.before } })).deletedCount;
      if (cut.keepNewest !== undefined) {
        // The newest entry beyond the kept ones; it and everything older in list order go.
        const [first] = await this.audit
          .find({}, { projection: { at: 1 } })
          .sort({ at: -1, _id: -1 })
          .skip(cut.keepNewest)
          .limit(1)
          .toArray();
        if (first !== undefined) {
          const older = { $or: [{ at: { $lt: first.at } }, { at: first.at, _id: { $lte: first._id } }] };
          dropped += (await this.audit.deleteMany(older)).deletedCount;
        }
      }
      return dropped;
    });
  }
}
