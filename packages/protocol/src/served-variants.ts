/** A flag and the variant a user was served: where a conversion that names no flag is attributed. */
export interface ServedVariant {
  flagName: string;
  variant: string;
}

/** By flag: the variant served last, and when. */
type ServedFlags = Map<string, { variant: string; servedAtMs: number }>;

/**
 * Which variant of each flag with variants each user (targeting key) was last served, so that a
 * `track(event, context)` naming no flag can count as an outcome of every flag that user was served
 * within `windowMs`, for the variant served.
 *
 * Memory is bounded by `maxUsers`, in two generations of at most half of it each: users served now
 * go to the newer one (moving there from the older one); when the newer one is full, or a window
 * has passed since the last turn, the older generation is forgotten and the newer one becomes the
 * older. So the users served longest ago are forgotten first, and every step is O(1): no list is
 * kept in order or scanned.
 */
export class ServedVariants {
  private newer = new Map<string, ServedFlags>();
  private older = new Map<string, ServedFlags>();
  private turnedAtMs: number;
  private readonly generationSize: number;

  constructor(
    private readonly windowMs: number,
    maxUsers: number,
    private readonly now: () => number = Date.now,
  ) {
    this.generationSize = Math.max(1, Math.floor(maxUsers / 2));
    this.turnedAtMs = now();
  }

  /** Users remembered. */
  get size(): number {
    return this.newer.size + this.older.size;
  }

  served(userId: string, flagName: string, variant: string): void {
    const nowMs = this.now();
    let flags = this.newer.get(userId);
    if (flags === undefined) {
      flags = this.older.get(userId) ?? new Map();
      this.older.delete(userId);
      if (this.newer.size >= this.generationSize || nowMs - this.turnedAtMs >= this.windowMs) this.turn(nowMs);
      this.newer.set(userId, flags);
    }
    flags.set(flagName, { variant, servedAtMs: nowMs });
  }

  /** The flags the user was served within the window, with the variant served last; sorted by flag. */
  attribution(userId: string): ServedVariant[] {
    const flags = this.newer.get(userId) ?? this.older.get(userId);
    if (flags === undefined) return [];
    const since = this.now() - this.windowMs;
    const served: ServedVariant[] = [];
    for (const [flagName, { variant, servedAtMs }] of flags)
      if (servedAtMs >= since) served.push({ flagName, variant });
    return served.sort((a, b) => (a.flagName < b.flagName ? -1 : a.flagName > b.flagName ? 1 : 0));
  }

  private turn(nowMs: number): void {
    this.older = this.newer;
    this.newer = new Map();
    this.turnedAtMs = nowMs;
  }
}
