/** A flag and the variant a user was served: where a conversion that names no flag is attributed. */
export interface ServedVariant {
  flagName: string;
  variant: string;
}

interface ServedUser {
  lastServedMs: number;
  /** By flag: the variant served last, and when. */
  flags: Map<string, { variant: string; servedAtMs: number }>;
}

/**
 * Which variant of each flag with variants each user (targeting key) was last served, so that a
 * `track(event, context)` naming no flag can count as an outcome of every flag that user was served
 * within `windowMs`, for the variant served. Memory is bounded: at most `maxUsers` users are kept,
 * the one served longest ago forgotten first, and users not served within the window are dropped as
 * new servings arrive; per user one entry per flag with variants.
 */
export class ServedVariants {
  /** In order of last serving, oldest first (a Map keeps insertion order; a serving moves its user to the end). */
  private readonly users = new Map<string, ServedUser>();

  constructor(
    private readonly windowMs: number,
    private readonly maxUsers: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.users.size;
  }

  served(userId: string, flagName: string, variant: string): void {
    const nowMs = this.now();
    let user = this.users.get(userId);
    if (user === undefined) user = { lastServedMs: nowMs, flags: new Map() };
    else this.users.delete(userId);
    user.lastServedMs = nowMs;
    user.flags.set(flagName, { variant, servedAtMs: nowMs });
    this.users.set(userId, user);
    this.forget(nowMs);
  }

  /** The flags the user was served within the window, with the variant served last; sorted by flag. */
  attribution(userId: string): ServedVariant[] {
    const user = this.users.get(userId);
    if (user === undefined) return [];
    const since = this.now() - this.windowMs;
    const served: ServedVariant[] = [];
    for (const [flagName, { variant, servedAtMs }] of user.flags) if (servedAtMs >= since) served.push({ flagName, variant });
    return served.sort((a, b) => (a.flagName < b.flagName ? -1 : a.flagName > b.flagName ? 1 : 0));
  }

  /** Drops users beyond `maxUsers` and, from the oldest, users not served within the window. */
  private forget(nowMs: number): void {
    for (const [userId, user] of this.users) {
      if (this.users.size <= this.maxUsers && user.lastServedMs >= nowMs - this.windowMs) return;
      this.users.delete(userId);
    }
  }
}
