import { Binary, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';
import { HLL_REGISTERS, HyperLogLog } from '@switchyard/protocol';
import type { UniqueSetDelta, UniqueSetRecord, UsageBucketKey } from './usage-store.js';

/** Unique-set documents an instance keeps in memory; past this it forgets and reads them back when needed. */
const UNIQUE_SET_CACHE_CAPACITY = 1_024;

/** Usage documents have string ids built from their key (and their writer). */
export interface UsageDocument extends Document {
  _id: string;
}

interface SetState {
  /** The ids while the set is exact; null once it keeps registers only. */
  exact: Set<string> | null;
  registers: HyperLogLog | null;
}

export function bucketId(key: UsageBucketKey): string {
  return [key.environment, key.flagName, key.hourStart].map(encodeURIComponent).join('|');
}

/**
 * The unique sets one store instance writes. Every document has this instance as its only writer,
 * so the instance knows (or reads back) each document's state, works out the new state in memory
 * and `$set`s it whole: the ids while the set is exact, else the 4,096 HyperLogLog registers as one
 * 4 KiB binary. No read-modify-write of another writer's data can race, on MongoDB or FerretDB.
 */
export class MongoUniqueSets {
  private readonly cache = new Map<string, SetState>();

  constructor(
    private readonly collection: Collection<UsageDocument>,
    private readonly writer: string,
  ) {}

  /** Call one at a time (the store serializes its writes). */
  async write(deltas: UniqueSetDelta[], exactLimit: number): Promise<void> {
    if (deltas.length === 0) return;
    const ids = deltas.map((delta) => this.idOf(delta));
    await this.load(ids.filter((id) => !this.cache.has(id)));
    const operations: AnyBulkWriteOperation<UsageDocument>[] = [];
    deltas.forEach((delta, index) => {
      const id = ids[index] as string;
      const state = this.cache.get(id) ?? { exact: new Set<string>(), registers: null };
      this.cache.set(id, state);
      if (applyDelta(state, delta, exactLimit)) operations.push(setOperation(id, delta, this.writer, state));
    });
    try {
      if (operations.length > 0) await this.collection.bulkWrite(operations, { ordered: false });
    } catch (error) {
      // What was written is unknown: read these documents back next time.
      for (const id of ids) this.cache.delete(id);
      throw error;
    }
    if (this.cache.size > UNIQUE_SET_CACHE_CAPACITY) this.cache.clear();
  }

  static toRecord(document: Document): UniqueSetRecord {
    const state = stateOf(document);
    return {
      flagName: String(document['flagName']),
      environment: String(document['environment']),
      hourStart: String(document['hourStart']),
      dimension: String(document['dimension']),
      exact: state.exact ? [...state.exact] : null,
      registers: state.registers ? state.registers.toUpdates() : [],
    };
  }

  private idOf(key: UsageBucketKey & { dimension: string }): string {
    return `${bucketId(key)}|${key.dimension}|${this.writer}`;
  }

  private async load(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const document of await this.collection.find({ _id: { $in: ids } }).toArray())
      this.cache.set(document._id, stateOf(document));
  }
}

/** Applies the delta; true when the state changed. */
function applyDelta(state: SetState, delta: UniqueSetDelta, exactLimit: number): boolean {
  if (state.exact) {
    const before = state.exact.size;
    for (const id of delta.ids) state.exact.add(id);
    if (!delta.overflow && state.exact.size <= exactLimit) return state.exact.size !== before;
    const registers = new HyperLogLog();
    for (const id of state.exact) registers.add(id);
    state.exact = null;
    state.registers = registers;
  }
  const registers = (state.registers ??= new HyperLogLog());
  let rose = delta.overflow || delta.ids.length > 0;
  for (const [index, rank] of delta.registers) {
    if (rank > (registers.registers[index] ?? 0)) {
      registers.registers[index] = rank;
      rose = true;
    }
  }
  return rose;
}

function setOperation(
  id: string,
  key: UniqueSetDelta,
  writer: string,
  state: SetState,
): AnyBulkWriteOperation<UsageDocument> {
  const { flagName, environment, hourStart, dimension } = key;
  const update: Document = { $setOnInsert: { flagName, environment, hourStart, dimension, writer } };
  if (state.exact) {
    update['$set'] = { exact: [...state.exact] };
  } else {
    update['$set'] = { overflow: true, hll: new Binary(state.registers?.registers ?? new Uint8Array(HLL_REGISTERS)) };
    update['$unset'] = { exact: '' };
  }
  return { updateOne: { filter: { _id: id }, update, upsert: true } };
}

function stateOf(document: Document): SetState {
  if (document['overflow'] !== true)
    return { exact: new Set((document['exact'] as string[] | undefined) ?? []), registers: null };
  const registers = new HyperLogLog();
  const stored = document['hll'];
  if (stored instanceof Binary) registers.registers.set(stored.buffer.subarray(0, HLL_REGISTERS));
  return { exact: null, registers };
}
