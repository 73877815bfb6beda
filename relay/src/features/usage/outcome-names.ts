/**
 * The distinct outcome (event) names of each flag, environment and hour, up to
 * SWITCHYARD_USAGE_MAX_OUTCOMES_PER_FLAG_HOUR each: events of further names are refused, so that
 * made-up names cannot grow a bucket without bound. Least recently used buckets are forgotten past
 * `capacity`; the recorder reads them back (store plus pending writes) before counting again.
 */
export class OutcomeNames {
  private readonly byBucket = new Map<string, Set<string>>();

  constructor(
    private readonly maxPerBucket: number,
    /** SWITCHYARD_USAGE_OUTCOME_NAME_CACHE_FLAG_HOURS. */
    private readonly capacity: number,
  ) {}

  static keyOf(environment: string, flagName: string, hourStart: string): string {
    return `${environment}\u0000${flagName}\u0000${hourStart}`;
  }

  has(key: string): boolean {
    return this.byBucket.has(key);
  }

  /** Adds names already counted for the bucket (read back from the store or pending writes). */
  seed(key: string, names: Iterable<string>): void {
    const known = this.byBucket.get(key) ?? new Set<string>();
    for (const name of names) known.add(name);
    this.byBucket.set(key, known);
  }

  /** True when `name` is (now) one of the bucket's names; false when the bucket already has the most allowed. */
  admit(key: string, name: string): boolean {
    let names = this.byBucket.get(key);
    if (names) this.byBucket.delete(key);
    else names = new Set();
    this.byBucket.set(key, names);
    if (names.has(name)) return true;
    if (names.size >= this.maxPerBucket) return false;
    names.add(name);
    return true;
  }

  /** Forgets the least recently used buckets past the capacity. */
  trim(): void {
    for (const key of this.byBucket.keys()) {
      if (this.byBucket.size <= this.capacity) return;
      this.byBucket.delete(key);
    }
  }
}
