import { hashId, UniqueIds, type HyperLogLog, type RegisterUpdate } from '@switchyard/protocol';
import {
  emptyCounters,
  emptyOutcomeTotals,
  uniqueDimension,
  type UniqueSetDelta,
  type UsageBucket,
  type UsageBucketKey,
  type UsageDelta,
} from '../../store/usage/usage-store.js';

interface PendingUnique extends UsageBucketKey {
  dimension: string;
  /** Exact until more than the exact limit arrive (or a sender's sketch is merged), then a sketch. */
  ids: UniqueIds;
}

const HOUR_MS = 3_600_000;

/** Start of the UTC hour holding `ms`, as stored: `2026-11-25T06:00:00.000Z`. */
export function hourStartOf(ms: number): string {
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
}

/**
 * Usage awaiting a write, aggregated by bucket: counters summed, ids de-duplicated, and past the
 * exact limit only HyperLogLog registers (4 KiB) per set. Its size is the number of keys, which
 * bounds memory however many events arrive.
 */
export class UsageAggregator {
  private counters = new Map<string, UsageBucket>();
  private uniques = new Map<string, PendingUnique>();

  constructor(private readonly exactLimit: number) {}

  /** Buckets plus unique sets pending. */
  get size(): number {
    return this.counters.size + this.uniques.size;
  }

  bucket(environment: string, flagName: string, hourStart: string): UsageBucket {
    const key = `${environment}\u0000${flagName}\u0000${hourStart}`;
    let bucket = this.counters.get(key);
    if (!bucket) {
      bucket = { flagName, environment, hourStart, ...emptyCounters() };
      this.counters.set(key, bucket);
    }
    return bucket;
  }

  /** Outcome names pending in the bucket, without creating it. */
  pendingOutcomes(environment: string, flagName: string, hourStart: string): string[] {
    return Object.keys(this.counters.get(`${environment}\u0000${flagName}\u0000${hourStart}`)?.outcomes ?? {});
  }

  addEvaluations(bucket: UsageBucket, variant: string, enabled: boolean, count: number): void {
    const counts = (bucket.evaluations[variant] ??= { enabled: 0, disabled: 0 });
    if (enabled) counts.enabled += count;
    else counts.disabled += count;
  }

  addOutcome(bucket: UsageBucket, outcome: string, variant: string, value: number | undefined): void {
    const byVariant = (bucket.outcomes[outcome] ??= {});
    const totals = (byVariant[variant] ??= emptyOutcomeTotals());
    totals.count += 1;
    if (value !== undefined) {
      // Welford's update: the spread is kept as M2 around the running mean, exact for large values too.
      const before = totals.valueCount > 0 ? totals.valueSum / totals.valueCount : 0;
      totals.valueCount += 1;
      totals.valueSum += value;
      totals.valueSquaredDeviations += (value - before) * (value - totals.valueSum / totals.valueCount);
    }
  }

  /** Counts `userId` among the flag's users and the variant's users. */
  addExposure(bucket: UsageBucket, variant: string, userId: string): void {
    this.addId(bucket, uniqueDimension.users(), userId);
    this.addId(bucket, uniqueDimension.variantUsers(variant), userId);
  }

  /** Merges a sender's sketch of users into the flag's users and the variant's users: both become estimates. */
  addExposureSketch(bucket: UsageBucket, variant: string, sketch: HyperLogLog): void {
    this.pendingUnique(bucket, uniqueDimension.users()).ids.addSketch(sketch);
    this.pendingUnique(bucket, uniqueDimension.variantUsers(variant)).ids.addSketch(sketch);
  }

  addId(key: UsageBucketKey, dimension: string, id: string): void {
    this.pendingUnique(key, dimension).ids.add(id);
  }

  /** Takes everything pending, leaving the aggregator empty. */
  drain(): UsageDelta {
    const delta: UsageDelta = {
      counters: [...this.counters.values()],
      uniques: [...this.uniques.values()].map(toDelta),
      exactLimit: this.exactLimit,
    };
    this.counters = new Map();
    this.uniques = new Map();
    return delta;
  }

  private pendingUnique(key: UsageBucketKey, dimension: string): PendingUnique {
    const mapKey = `${key.environment}\u0000${key.flagName}\u0000${key.hourStart}\u0000${dimension}`;
    let pending = this.uniques.get(mapKey);
    if (!pending) {
      const { flagName, environment, hourStart } = key;
      pending = { flagName, environment, hourStart, dimension, ids: new UniqueIds(this.exactLimit) };
      this.uniques.set(mapKey, pending);
    }
    return pending;
  }
}

function toDelta(pending: PendingUnique): UniqueSetDelta {
  const { flagName, environment, hourStart, dimension } = pending;
  const sketch = pending.ids.sketch;
  if (sketch)
    return { flagName, environment, hourStart, dimension, ids: [], overflow: true, registers: sketch.toUpdates() };
  const ids = [...(pending.ids.exactIds ?? [])];
  return { flagName, environment, hourStart, dimension, ids, overflow: false, registers: sparseRegisters(ids) };
}

function sparseRegisters(ids: string[]): RegisterUpdate[] {
  const ranks = new Map<number, number>();
  for (const id of ids) {
    const { index, rank } = hashId(id);
    if (rank > (ranks.get(index) ?? 0)) ranks.set(index, rank);
  }
  return [...ranks];
}
