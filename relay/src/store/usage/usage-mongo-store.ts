import { randomBytes } from 'node:crypto';
import {
  Double,
  MongoBulkWriteError,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Document,
  type Filter,
} from 'mongodb';
import { StoreUnavailableError } from '../store-errors.js';
import {
  addCounters,
  emptyCounters,
  emptyOutcomeTotals,
  hasEvaluations,
  mergeOutcomeTotals,
  squaredDeviationsOf,
  type OutcomeTotals,
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
import { bucketId, MongoUniqueSets, type UsageDocument } from './usage-mongo-unique-sets.js';

export const USAGE_COLLECTIONS = { buckets: 'usage_buckets', uniques: 'usage_uniques', last: 'usage_last' } as const;

/**
 * Usage in MongoDB (and FerretDB): per flag, environment and hour one counter document, changed
 * only with `$inc`/`$max` upserts, and per unique set one document holding its ids while exact,
 * then its HyperLogLog registers as one binary (usage-mongo-unique-sets.ts).
 *
 * Each document has a single writer: its id names the writing store instance, which applies its
 * deltas one after another. FerretDB 1.x runs an update as read-modify-write, so two relays
 * incrementing one document at once lose increments (usage-mongo-store.spec.ts shows the case);
 * with one writer per document nothing races, on MongoDB or FerretDB. Reads merge the writers'
 * documents (a handful per bucket: one per relay process that wrote in that hour).
 */
export class UsageMongoStore implements UsageStore {
  private readonly buckets_: Collection<UsageDocument>;
  private readonly uniques: Collection<UsageDocument>;
  private readonly last: Collection<UsageDocument>;
  private indexes: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Each delta's sequence number, kept so that a retried delta carries the same one. */
  private readonly sequences = new WeakMap<UsageDelta, number>();
  /** Rising across instances that share a writer id (tests), too. */
  private nextSequence = Date.now() * 1_000;
  private readonly uniqueSets_: MongoUniqueSets;

  constructor(
    db: Db,
    /** Names this instance's documents; unique per process start. */
    private readonly writer: string = randomBytes(8).toString('hex'),
  ) {
    this.buckets_ = db.collection<UsageDocument>(USAGE_COLLECTIONS.buckets);
    this.uniques = db.collection<UsageDocument>(USAGE_COLLECTIONS.uniques);
    this.last = db.collection<UsageDocument>(USAGE_COLLECTIONS.last);
    this.uniqueSets_ = new MongoUniqueSets(this.uniques, writer);
  }

  /** Creates the indexes with the first write (and again after a failed attempt). */
  private ensureIndexes(): Promise<void> {
    this.indexes ??= Promise.all([
      this.buckets_.createIndex({ flagName: 1, environment: 1, hourStart: 1 }),
      this.buckets_.createIndex({ hourStart: 1 }),
      this.uniques.createIndex({ flagName: 1, environment: 1, hourStart: 1 }),
    ]).then(
      () => undefined,
      (error: unknown) => {
        this.indexes = undefined;
        throw error;
      },
    );
    return this.indexes;
  }

  /** Deltas are applied one after another: this instance never races itself on a document. */
  apply(delta: UsageDelta): Promise<void> {
    const run = this.queue.then(() => this.write(delta));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(delta: UsageDelta): Promise<void> {
    try {
      await this.ensureIndexes();
      const sequence = this.sequenceOf(delta);
      const stored = await this.storedOutcomes(delta.counters);
      await bulkSkippingApplied(
        this.buckets_,
        delta.counters.map((bucket) => counterUpdate(bucket, this.writer, sequence, stored.get(bucketId(bucket)))),
      );
      await bulk(
        this.last,
        delta.counters.filter(hasEvaluations).map((bucket) => lastUpdate(bucket, this.writer)),
      );
      await this.uniqueSets_.write(delta.uniques, delta.exactLimit);
    } catch (error) {
      unavailable(error);
    }
  }

  /**
   * The outcomes of this instance's counter documents that the delta adds values to: the spread
   * (M2) cannot be `$inc`ed, so the writer merges it with what is stored and `$set`s the result
   * (it is the documents' only writer, and applies one delta at a time).
   */
  private async storedOutcomes(counters: UsageBucket[]): Promise<Map<string, StoredOutcomes>> {
    const withValues = counters.filter((bucket) =>
      Object.values(bucket.outcomes).some((byVariant) => Object.values(byVariant).some((t) => t.valueCount > 0)),
    );
    const stored = new Map<string, StoredOutcomes>();
    if (withValues.length === 0) return stored;
    const ids = withValues.map((bucket) => `${bucketId(bucket)}|${this.writer}`);
    for (const document of await this.buckets_.find({ _id: { $in: ids } }, { projection: { oc: 1 } }).toArray()) {
      stored.set(document._id.slice(0, document._id.lastIndexOf('|')), outcomesOf(document));
    }
    return stored;
  }

  private sequenceOf(delta: UsageDelta): number {
    let sequence = this.sequences.get(delta);
    if (sequence === undefined) {
      sequence = ++this.nextSequence;
      this.sequences.set(delta, sequence);
    }
    return sequence;
  }

  async buckets(range: UsageRange): Promise<UsageBucket[]> {
    const documents = await this.buckets_.find(rangeFilter(range)).toArray().catch(unavailable);
    const merged = new Map<string, UsageBucket>();
    for (const document of documents) {
      const bucket = toBucket(document);
      const key = bucketId(bucket);
      const known = merged.get(key);
      if (known) addCounters(known, bucket);
      else merged.set(key, bucket);
    }
    return [...merged.values()];
  }

  async uniqueSets(query: UniqueSetQuery): Promise<UniqueSetRecord[]> {
    const filter: Filter<UsageDocument> = rangeFilter(query);
    if (query.dimensions) filter['dimension'] = { $in: query.dimensions };
    const documents = await this.uniques.find(filter).toArray().catch(unavailable);
    return documents.map((document) => MongoUniqueSets.toRecord(document));
  }

  async deleteBefore(hourStart: string): Promise<void> {
    const old = { hourStart: { $lt: hourStart } };
    await Promise.all([this.buckets_.deleteMany(old), this.uniques.deleteMany(old)]).catch(unavailable);
  }

  async lastEvaluations(): Promise<LastEvaluation[]> {
    const documents = await this.last.find({}).toArray().catch(unavailable);
    const latest = new Map<string, LastEvaluation>();
    for (const document of documents) {
      const { flagName, environment, hourStart } = keyOf(document);
      const key = `${environment}\u0000${flagName}`;
      const folded = latest.get(key) ?? { flagName, environment, hourStart, lastEnabled: {}, lastDisabled: null };
      if (folded.hourStart < hourStart) folded.hourStart = hourStart;
      for (const [variant, hour] of Object.entries((document['en'] ?? {}) as Record<string, string>)) {
        if ((folded.lastEnabled[unfield(variant)] ?? '') < hour) folded.lastEnabled[unfield(variant)] = hour;
      }
      const disabled = document['dis'] as string | undefined;
      if (disabled !== undefined && (folded.lastDisabled ?? '') < disabled) folded.lastDisabled = disabled;
      latest.set(key, folded);
    }
    return [...latest.values()];
  }
}

const DUPLICATE_KEY = 11000;

/**
 * Counter upserts match only while the document's `sequence` is below the delta's; on a document
 * that already took this delta the upsert turns into an insert that fails with a duplicate key,
 * which means "already applied". Ordered, and resumed after such an operation, because FerretDB
 * stops an unordered bulk write at its first error too.
 */
async function bulkSkippingApplied(
  collection: Collection<UsageDocument>,
  operations: AnyBulkWriteOperation<UsageDocument>[],
): Promise<void> {
  let rest = operations;
  while (rest.length > 0) {
    try {
      await collection.bulkWrite(rest, { ordered: true });
      return;
    } catch (error) {
      const first = error instanceof MongoBulkWriteError ? [error.writeErrors].flat()[0] : undefined;
      if (first?.code !== DUPLICATE_KEY) throw error;
      rest = rest.slice(first.index + 1);
    }
  }
}

async function bulk(
  collection: Collection<UsageDocument>,
  operations: AnyBulkWriteOperation<UsageDocument>[],
): Promise<void> {
  if (operations.length > 0) await collection.bulkWrite(operations, { ordered: false });
}

/** A user-chosen name as a field name: never empty, never `$`-led, never dotted. */
function field(name: string): string {
  return `k${encodeURIComponent(name).replace(/\./g, '%2E')}`;
}

function unfield(name: string): string {
  return decodeURIComponent(name.slice(1));
}

function counterUpdate(
  bucket: UsageBucket,
  writer: string,
  sequence: number,
  stored: StoredOutcomes = {},
): AnyBulkWriteOperation<UsageDocument> {
  // As BSON doubles: the driver sends integers below 2^31 as int32, and FerretDB wraps an int32
  // `$inc` past 2^31 around (1000000001 + 2000000005 read back as -1294967290).
  const increments: Record<string, Double> = {};
  const sets: Record<string, number> = { sequence };
  const unsets: Record<string, ''> = {};
  const add = (path: string, value: number): void => {
    if (value !== 0) increments[path] = new Double(value);
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
      if (totals.valueCount === 0) continue;
      const before = stored[outcome]?.[variant];
      const merged = before ? { ...before } : emptyOutcomeTotals();
      mergeOutcomeTotals(merged, totals);
      sets[`${path}.m2`] = merged.valueSquaredDeviations;
      if (before?.legacy) unsets[`${path}.vss`] = '';
    }
  }
  add('dropped', bucket.droppedBySender);
  const { flagName, environment, hourStart } = bucket;
  const update: Document = { $setOnInsert: { flagName, environment, hourStart, writer } };
  if (Object.keys(increments).length > 0) update['$inc'] = increments;
  update['$set'] = sets;
  if (Object.keys(unsets).length > 0) update['$unset'] = unsets;
  const notYetApplied = { $or: [{ sequence: { $lt: sequence } }, { sequence: { $exists: false } }] };
  return { updateOne: { filter: { _id: `${bucketId(bucket)}|${writer}`, ...notYetApplied }, update, upsert: true } };
}

function lastUpdate(bucket: UsageBucket, writer: string): AnyBulkWriteOperation<UsageDocument> {
  const { flagName, environment, hourStart } = bucket;
  const latest: Record<string, string> = { hourStart };
  for (const [variant, counts] of Object.entries(bucket.evaluations)) {
    if (counts.enabled > 0) latest[`en.${field(variant)}`] = hourStart;
    if (counts.disabled > 0) latest['dis'] = hourStart;
  }
  return {
    updateOne: {
      filter: { _id: [environment, flagName, writer].map(encodeURIComponent).join('|') },
      update: { $setOnInsert: { flagName, environment, writer }, $max: latest },
      upsert: true,
    },
  };
}

function rangeFilter(range: UsageRange): Filter<UsageDocument> {
  const filter: Filter<UsageDocument> = { hourStart: { $gte: range.from, $lt: range.to } };
  if (range.flagName !== undefined) filter['flagName'] = range.flagName;
  if (range.environment !== undefined) filter['environment'] = range.environment;
  return filter;
}

function keyOf(document: Document): UsageBucketKey {
  return {
    flagName: String(document['flagName']),
    environment: String(document['environment']),
    hourStart: String(document['hourStart']),
  };
}

function toBucket(document: Document): UsageBucket {
  const counters: UsageCounters = emptyCounters();
  for (const [variant, counts] of Object.entries(
    (document['ev'] ?? {}) as Record<string, { e?: number; d?: number }>,
  )) {
    counters.evaluations[unfield(variant)] = { enabled: counts.e ?? 0, disabled: counts.d ?? 0 };
  }
  for (const [code, count] of Object.entries((document['er'] ?? {}) as Record<string, number>))
    counters.errors[unfield(code)] = count;
  for (const [outcome, byVariant] of Object.entries(outcomesOf(document))) {
    counters.outcomes[outcome] = Object.fromEntries(
      Object.entries(byVariant).map(([variant, { legacy: _, ...totals }]) => [variant, totals]),
    );
  }
  counters.droppedBySender = Number(document['dropped'] ?? 0);
  return { ...keyOf(document), ...counters };
}

type StoredOutcomes = Record<string, Record<string, OutcomeTotals & { legacy?: true }>>;

/** Outcome totals of a counter document; documents written before M2 was stored (`vss`, no `m2`) still read. */
function outcomesOf(document: Document): StoredOutcomes {
  const outcomes: StoredOutcomes = {};
  for (const [outcome, byVariant] of Object.entries(
    (document['oc'] ?? {}) as Record<string, Record<string, Record<string, number>>>,
  )) {
    const target: StoredOutcomes[string] = (outcomes[unfield(outcome)] = {});
    for (const [variant, stored] of Object.entries(byVariant)) {
      const totals = { count: stored['n'] ?? 0, valueCount: stored['vn'] ?? 0, valueSum: stored['vs'] ?? 0 };
      const m2 = stored['m2'];
      target[unfield(variant)] =
        m2 !== undefined || stored['vss'] === undefined
          ? { ...totals, valueSquaredDeviations: m2 ?? 0 }
          : {
              ...totals,
              valueSquaredDeviations: squaredDeviationsOf({ ...totals, valueSumOfSquares: stored['vss'] }),
              legacy: true,
            };
    }
  }
  return outcomes;
}

function unavailable(error: unknown): never {
  throw new StoreUnavailableError(error);
}
