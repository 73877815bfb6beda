import { UniqueIds } from '@switchyard/protocol';
import type { UniqueSetRecord } from '../../store/usage/usage-store.js';

/** Ids held exactly while merging before switching to a sketch (bounds a query's memory). */
const MERGE_EXACT_LIMIT = 100_000;

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
  private readonly ids = new UniqueIds(MERGE_EXACT_LIMIT);

  add(record: UniqueSetRecord): void {
    if (record.exact) for (const id of record.exact) this.ids.add(id);
    else this.ids.addSketch(record.registers);
  }

  result(): UniqueCount {
    const exact = this.ids.exactIds;
    if (exact) return { count: exact.size, exact: true };
    return { count: this.ids.sketch?.estimate() ?? 0, exact: false };
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
