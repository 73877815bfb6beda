import type { Collection, Filter } from 'mongodb';
import { assertAuditQuery } from '../audit-query.js';
import { fromData, toAuditDocument, type AuditDocument } from './mongo-documents.js';
import { guarded } from './mongo-errors.js';
import { AuditEntryNotFoundError } from '../store-errors.js';
import type { AuditEntry, AuditQuery, AuditStore } from '../store.js';

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
}
