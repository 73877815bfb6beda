import { HLL_REGISTERS, HyperLogLog } from '@switchyard/protocol';
import {
  addCounters,
  emptyCounters,
  foldLastEvaluation,
  hasEvaluations,
  type LastEvaluation,
  type UniqueSetQuery,
  type UniqueSetRecord,
  type UsageBucket,
  type UsageBucketKey,
  type UsageDelta,
  type UsageRange,
} from './usage-store.js';

interface UniqueSetState extends UsageBucketKey {
  dimension: string;
  /** While exact: the ids (their registers are derived when read). */
  exact: Set<string> | null;
  /** Once not exact: the registers, dense. */
  sketch: HyperLogLog | null;
}

/** The embedded usage store's content, in memory; also what its snapshot file holds. */
export class UsageMemoryState {
  private readonly bucketsByKey = new ByFlag<UsageBucket>();
  private readonly uniquesByKey = new ByFlag<UniqueSetState>();
  private readonly lastByFlag = new Map<string, LastEvaluation>();

  apply(delta: UsageDelta): void {
    for (const bucket of delta.counters) this.addBucket(bucket);
    for (const unique of delta.uniques) {
      const key = `${bucketKey(unique)}\u0000${unique.dimension}`;
      let state = this.uniquesByKey.get(unique.flagName, key);
      if (!state) {
        const { flagName, environment, hourStart, dimension } = unique;
        state = { flagName, environment, hourStart, dimension, exact: new Set(), sketch: null };
        this.uniquesByKey.set(unique.flagName, key, state);
      }
      if (state.exact) {
        for (const id of unique.ids) state.exact.add(id);
        if (unique.overflow || state.exact.size > delta.exactLimit) toSketch(state);
      }
      state.sketch?.mergeRegisters(unique.registers);
    }
  }

  buckets(range: UsageRange): UsageBucket[] {
    return [...this.bucketsByKey.values(range.flagName)]
      .filter((bucket) => inRange(bucket, range))
      .map((bucket) => structuredClone(bucket));
  }

  uniqueSets(query: UniqueSetQuery): UniqueSetRecord[] {
    const wanted = query.dimensions ? new Set(query.dimensions) : null;
    const records: UniqueSetRecord[] = [];
    for (const state of this.uniquesByKey.values(query.flagName)) {
      if (!inRange(state, query) || (wanted && !wanted.has(state.dimension))) continue;
      const { flagName, environment, hourStart, dimension } = state;
      records.push({
        flagName,
        environment,
        hourStart,
        dimension,
        exact: state.exact ? [...state.exact] : null,
        registers: state.sketch ? state.sketch.toUpdates() : [],
      });
    }
    return records;
  }

  deleteBefore(hourStart: string): void {
    this.bucketsByKey.deleteWhere((bucket) => bucket.hourStart < hourStart);
    this.uniquesByKey.deleteWhere((unique) => unique.hourStart < hourStart);
  }

  lastEvaluations(): LastEvaluation[] {
    return [...this.lastByFlag.values()].map((last) => structuredClone(last));
  }

  toSnapshot(): UsageSnapshot {
    return {
      format: 1,
      buckets: [...this.bucketsByKey.values()],
      uniques: [...this.uniquesByKey.values()].map((state) => ({
        flagName: state.flagName,
        environment: state.environment,
        hourStart: state.hourStart,
        dimension: state.dimension,
        exact: state.exact ? [...state.exact] : null,
        registers: state.sketch ? Buffer.from(state.sketch.registers).toString('base64') : null,
      })),
    };
  }

  static fromSnapshot(snapshot: UsageSnapshot): UsageMemoryState {
    const state = new UsageMemoryState();
    for (const bucket of snapshot.buckets) state.addBucket(bucket);
    for (const unique of snapshot.uniques) {
      let sketch: HyperLogLog | null = null;
      if (unique.registers !== null) {
        sketch = new HyperLogLog();
        sketch.registers.set(Buffer.from(unique.registers, 'base64').subarray(0, HLL_REGISTERS));
      }
      const exact = unique.exact ? new Set(unique.exact) : null;
      const { flagName, environment, hourStart, dimension } = unique;
      state.uniquesByKey.set(flagName, `${bucketKey(unique)}\u0000${dimension}`, {
        flagName,
        environment,
        hourStart,
        dimension,
        exact,
        sketch,
      });
    }
    return state;
  }

  private addBucket(delta: UsageBucket): void {
    const key = bucketKey(delta);
    let bucket = this.bucketsByKey.get(delta.flagName, key);
    if (!bucket) {
      bucket = {
        flagName: delta.flagName,
        environment: delta.environment,
        hourStart: delta.hourStart,
        ...emptyCounters(),
      };
      this.bucketsByKey.set(delta.flagName, key, bucket);
    }
    addCounters(bucket, delta);
    if (!hasEvaluations(delta)) return;
    const flagKey = `${delta.environment}\u0000${delta.flagName}`;
    this.lastByFlag.set(flagKey, foldLastEvaluation(this.lastByFlag.get(flagKey), delta));
  }
}

/** The snapshot file's shape (format 1). */
export interface UsageSnapshot {
  format: 1;
  buckets: UsageBucket[];
  uniques: Array<UsageBucketKey & { dimension: string; exact: string[] | null; registers: string | null }>;
}

/** Entries grouped by flag, so that a query for one flag reads only that flag's. */
class ByFlag<T> {
  private readonly byFlag = new Map<string, Map<string, T>>();

  get(flagName: string, key: string): T | undefined {
    return this.byFlag.get(flagName)?.get(key);
  }

  set(flagName: string, key: string, value: T): void {
    let entries = this.byFlag.get(flagName);
    if (!entries) this.byFlag.set(flagName, (entries = new Map()));
    entries.set(key, value);
  }

  /** One flag's entries, or every flag's when `flagName` is undefined. */
  *values(flagName?: string): IterableIterator<T> {
    if (flagName !== undefined) {
      yield* this.byFlag.get(flagName)?.values() ?? [];
      return;
    }
    for (const entries of this.byFlag.values()) yield* entries.values();
  }

  deleteWhere(test: (value: T) => boolean): void {
    for (const entries of this.byFlag.values()) {
      for (const [key, value] of entries) if (test(value)) entries.delete(key);
    }
  }
}

function toSketch(state: UniqueSetState): void {
  const sketch = new HyperLogLog();
  for (const id of state.exact ?? []) sketch.add(id);
  state.exact = null;
  state.sketch = sketch;
}

function bucketKey(key: UsageBucketKey): string {
  return `${key.environment}\u0000${key.flagName}\u0000${key.hourStart}`;
}

function inRange(key: UsageBucketKey, range: UsageRange): boolean {
  return (
    key.hourStart >= range.from &&
    key.hourStart < range.to &&
    (range.flagName === undefined || key.flagName === range.flagName) &&
    (range.environment === undefined || key.environment === range.environment)
  );
}
