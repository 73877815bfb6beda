import type { AnyBulkWriteOperation, Collection, Db, Document, Filter } from 'mongodb';
import { StoreUnavailableError } from './store-errors.js';
import {
  emptyCounters,
  hasEvaluations,
  type LastEvaluation,
  type UniqueSetQuery,
  type UniqueSetRecord,
  type UsageBucket,
  type UsageBucketKey,
  type UsageCounters,
  type UsageDelta,
  type UsageRange,
  type UsageStore,
} from './usage-store.js';

/** Usage documents have string ids built from their key. */
interface UsageDocument extends Document {
  _id: string;
}

export const USAGE_COLLECTIONS = { buckets: 'usage_buckets', uniques: 'usage_uniques', last: 'usage_last' } as const;

/**
 * Usage in MongoDB (and FerretDB): one document per flag, environment and hour, changed only with
 * `$inc`/`$max` upserts, and one per unique set, whose ids grow with `$addToSet` until the set
 * passes the exact limit and whose HyperLogLog registers grow with `$max` per register. Every
 * update commutes, so relays write concurrently without transactions.
 */
export class UsageMongoStore implements UsageStore {
  private constructor(
    private readonly buckets_: Collection<UsageDocument>,
    private readonly uniques: Collection<UsageDocument>,
    private readonly last: Collection<UsageDocument>,
  ) {}

  static async create(db: Db): Promise<UsageMongoStore> {
    const store = new UsageMongoStore(
      db.collection<UsageDocument>(USAGE_COLLECTIONS.buckets),
      db.collection<UsageDocument>(USAGE_COLLECTIONS.uniques),
      db.collection<UsageDocument>(USAGE_COLLECTIONS.last),
    );
    await Promise.all([
      store.buckets_.createIndex({ flagName: 1, environment: 1, hourStart: 1 }),
      store.buckets_.createIndex({ hourStart: 1 }),
      store.uniques.createIndex({ flagName: 1, environment: 1, hourStart: 1 }),
    ]).catch(unavailable);
    return store;
  }

  async apply(delta: UsageDelta): Promise<void> {
    try {
      await bulk(this.buckets_, delta.counters.map(counterUpdate));
      await bulk(this.last, delta.counters.filter(hasEvaluations).map(lastUpdate));
      await bulk(this.uniques, delta.uniques.map(registerUpdate));
      const additions = delta.uniques.filter((unique) => !unique.overflow && unique.ids.length > 0);
      await bulk(this.uniques, additions.map((unique) => ({
        updateOne: { filter: { _id: uniqueId(unique), overflow: { $ne: true } }, update: { $addToSet: { exact: { $each: unique.ids } } } },
      })));
      // A set that grew past the limit (or was told it would) keeps its registers only.
      await bulk(this.uniques, delta.uniques.filter((unique) => unique.overflow || unique.ids.length > 0).map((unique) => ({
        updateOne: {
          filter: unique.overflow ? { _id: uniqueId(unique) } : { _id: uniqueId(unique), [`exact.${delta.exactLimit}`]: { $exists: true } },
          update: { $set: { overflow: true }, $unset: { exact: '' } },
        },
      })));
    } catch (error) {
      unavailable(error);
    }
  }

  async buckets(range: UsageRange): Promise<UsageBucket[]> {
    const documents = await this.buckets_.find(rangeFilter(range)).toArray().catch(unavailable);
    return documents.map(toBucket);
  }

  async uniqueSets(query: UniqueSetQuery): Promise<UniqueSetRecord[]> {
    const filter: Filter<UsageDocument> = rangeFilter(query);
    if (query.dimensions) filter['dimension'] = { $in: query.dimensions };
    const documents = await this.uniques.find(filter).toArray().catch(unavailable);
    return documents.map((document) => ({
      ...keyOf(document),
      dimension: String(document['dimension']),
      exact: document['overflow'] === true ? null : ((document['exact'] as string[] | undefined) ?? []),
      registers: Object.entries((document['r'] as Record<string, number> | undefined) ?? {}).map(
        ([field, rank]) => [Number(field.slice(1)), rank] as [number, number],
      ),
    }));
  }

  async lastEvaluations(): Promise<LastEvaluation[]> {
    const documents = await this.last.find({}).toArray().catch(unavailable);
    return documents.map((document) => keyOf(document));
  }
}

async function bulk(collection: Collection<UsageDocument>, operations: AnyBulkWriteOperation<UsageDocument>[]): Promise<void> {
  if (operations.length > 0) await collection.bulkWrite(operations, { ordered: false });
}

/** A user-chosen name as a field name: never empty, never `$`-led, never dotted. */
function field(name: string): string {
  return `k${encodeURIComponent(name).replace(/\./g, '%2E')}`;
}

function unfield(name: string): string {
  return decodeURIComponent(name.slice(1));
}

function bucketId(key: UsageBucketKey): string {
  return [key.environment, key.flagName, key.hourStart].map(encodeURIComponent).join('|');
}

function uniqueId(key: UsageBucketKey & { dimension: string }): string {
  return `${bucketId(key)}|${key.dimension}`;
}

function counterUpdate(bucket: UsageBucket): AnyBulkWriteOperation<UsageDocument> {
  const increments: Record<string, number> = {};
  const add = (path: string, value: number): void => {
    if (value !== 0) increments[path] = value;
  };
  for (const [variant, counts] of Object.entries(bucket.evaluations)) {
    add(`ev.${field(variant)}.e`, counts.enabled);
    add(`ev.${field(variant)}.d`, counts.disabled);
  }
  for (const [code, count] of Object.entries(bucket.errors)) add(`er.${field(code)}`, count);
  for (const [outcome, byVariant] of Object.entries(bucket.outcomes)) {
    for (const [variant, totals] of Object.entries(byVariant)) {
      const path = `oc.${field(outcome)}.${field(variant)}`;
      add(`${path}.n`, totals.count);
      add(`${path}.vn`, totals.valueCount);
      add(`${path}.vs`, totals.valueSum);
      add(`${path}.vss`, totals.valueSumOfSquares);
    }
  }
  add('dropped', bucket.droppedBySender);
  const { flagName, environment, hourStart } = bucket;
  const update: Document = { $setOnInsert: { flagName, environment, hourStart } };
  if (Object.keys(increments).length > 0) update['$inc'] = increments;
  return { updateOne: { filter: { _id: bucketId(bucket) }, update, upsert: true } };
}

function lastUpdate(bucket: UsageBucket): AnyBulkWriteOperation<UsageDocument> {
  const { flagName, environment, hourStart } = bucket;
  return {
    updateOne: {
      filter: { _id: [environment, flagName].map(encodeURIComponent).join('|') },
      update: { $setOnInsert: { flagName, environment }, $max: { hourStart } },
      upsert: true,
    },
  };
}

function registerUpdate(unique: UsageDelta['uniques'][number]): AnyBulkWriteOperation<UsageDocument> {
  const { flagName, environment, hourStart, dimension } = unique;
  const update: Document = { $setOnInsert: { flagName, environment, hourStart, dimension } };
  if (unique.registers.length > 0) update['$max'] = Object.fromEntries(unique.registers.map(([index, rank]) => [`r.k${index}`, rank]));
  return { updateOne: { filter: { _id: uniqueId(unique) }, update, upsert: true } };
}

function rangeFilter(range: UsageRange): Filter<UsageDocument> {
  const filter: Filter<UsageDocument> = { hourStart: { $gte: range.from, $lt: range.to } };
  if (range.flagName !== undefined) filter['flagName'] = range.flagName;
  if (range.environment !== undefined) filter['environment'] = range.environment;
  return filter;
}

function keyOf(document: Document): UsageBucketKey {
  return { flagName: String(document['flagName']), environment: String(document['environment']), hourStart: String(document['hourStart']) };
}

function toBucket(document: Document): UsageBucket {
  const counters: UsageCounters = emptyCounters();
  for (const [variant, counts] of Object.entries((document['ev'] ?? {}) as Record<string, { e?: number; d?: number }>)) {
    counters.evaluations[unfield(variant)] = { enabled: counts.e ?? 0, disabled: counts.d ?? 0 };
  }
  for (const [code, count] of Object.entries((document['er'] ?? {}) as Record<string, number>)) counters.errors[unfield(code)] = count;
  for (const [outcome, byVariant] of Object.entries((document['oc'] ?? {}) as Record<string, Record<string, Record<string, number>>>)) {
    const target: UsageCounters['outcomes'][string] = (counters.outcomes[unfield(outcome)] = {});
    for (const [variant, totals] of Object.entries(byVariant)) {
      target[unfield(variant)] = { count: totals['n'] ?? 0, valueCount: totals['vn'] ?? 0, valueSum: totals['vs'] ?? 0, valueSumOfSquares: totals['vss'] ?? 0 };
    }
  }
  counters.droppedBySender = Number(document['dropped'] ?? 0);
  return { ...keyOf(document), ...counters };
}

function unavailable(error: unknown): never {
  throw new StoreUnavailableError(error);
}
