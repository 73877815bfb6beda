import { HyperLogLog } from '@switchyard/protocol';
import type { UniqueSetRecord } from '../../store/usage-store.js';

/** Ids held exactly while merging before switching to a sketch (bounds a query's memory). */
export const MERGE_EXACT_LIMIT = 100_000;

export interface UniqueCount {
  count: number;
  /** False when any part was a HyperLogLog estimate (relative standard error ~1.6%). */
  exact: boolean;
}

/**
 * The number of distinct ids across unique sets (hours, environments): the exact union while
 * every set is exact and the union stays small, else the HyperLogLog union of their registers.
 */
export class UniqueCounter {
  private ids: Set<string> | null = new Set();
  private sketch: HyperLogLog | null = null;

  add(record: UniqueSetRecord): void {
    if (this.ids && record.exact && this.ids.size + record.exact.length <= MERGE_EXACT_LIMIT) {
      for (const id of record.exact) this.ids.add(id);
      return;
    }
    const sketch = this.toSketch();
    if (record.exact) for (const id of record.exact) sketch.add(id);
    sketch.mergeRegisters(record.registers);
  }

  result(): UniqueCount {
    if (this.ids) return { count: this.ids.size, exact: true };
    return { count: this.sketch?.estimate() ?? 0, exact: false };
  }

  private toSketch(): HyperLogLog {
    if (!this.sketch) {
      this.sketch = new HyperLogLog();
      for (const id of this.ids ?? []) this.sketch.add(id);
      this.ids = null;
    }
    return this.sketch;
  }
}

/** Counts per key (dimension, time slot …) from one pass over the records. */
export class UniqueCounters {
  private readonly counters = new Map<string, UniqueCounter>();

  add(key: string, record: UniqueSetRecord): void {
    let counter = this.counters.get(key);
    if (!counter) {
      counter = new UniqueCounter();
      this.counters.set(key, counter);
    }
    counter.add(record);
  }

  get(key: string): UniqueCount {
    return this.counters.get(key)?.result() ?? { count: 0, exact: true };
  }
}
