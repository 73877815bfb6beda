import {
  decodeUserSketch,
  jsonBytes,
  splitUsageBatch,
  SwitchyardHttpError,
  UniqueIds,
  type EvaluationCount,
  type EvaluationErrorCount,
  type TrackedEvent,
  type UsageBatch,
  type UsageBatchBounds,
} from '@switchyard/protocol';
import type { JsonValue } from '@openfeature/web-sdk';

type ErrorCode = EvaluationErrorCount['errorCode'];

/** The relay's defaults for names and event metadata: one entry beyond them would fail the whole batch. */
const MAX_NAME_LENGTH = 256;
/** SWITCHYARD_USAGE_MAX_METADATA_BYTES: the relay counts UTF-8 bytes of the JSON, not characters. */
const MAX_METADATA_BYTES = 4096;

export interface TrackInput {
  name: string;
  userId?: string;
  flagName?: string;
  variant?: string;
  value?: number;
  metadata: Record<string, JsonValue>;
}

type Send = (batch: UsageBatch, pageHidden: boolean) => Promise<void>;

/** An evaluation count being collected: its users exact up to a limit, then a sketch of all of them. */
interface PendingCount {
  entry: Omit<EvaluationCount, 'userIds' | 'userSketch'>;
  users: UniqueIds;
}

/** What bounds a batch, plus the distinct user ids sent exactly per count before a sketch replaces them. */
export interface UsageLimits extends UsageBatchBounds {
  maxUserIdsPerEntry: number;
}

/**
 * Buffers evaluation counts (pre-aggregated per flag, variant and on/off) and tracked events
 * until the next flush, then sends them in parts within `limits`. A part that failed in transit
 * is put back, so a flaky network loses nothing but what overflows `maxEvents`; a part the relay
 * refused (a 4xx other than 408/429) can never succeed and is dropped. Both losses are reported
 * as `dropped` in the next batch.
 */
export class UsageTracker {
  private counts = new Map<string, PendingCount>();
  private errors = new Map<string, EvaluationErrorCount>();
  private events: TrackedEvent[] = [];
  private dropped = 0;
  private periodStart: string | undefined;

  constructor(
    private readonly send: Send,
    private readonly maxEvents: number,
    private readonly limits: UsageLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  countEvaluation(flagName: string, variant: string | undefined, enabled: boolean, userId: string | undefined): void {
    if (!fits(flagName) || (variant !== undefined && !fits(variant))) return;
    const users = this.addCount(flagName, variant, enabled, 1);
    if (userId !== undefined && fits(userId)) users.add(userId);
  }

  countError(flagName: string, errorCode: ErrorCode, count = 1): void {
    if (!fits(flagName)) return;
    const key = `${flagName}\u0000${errorCode}`;
    const entry = this.errors.get(key) ?? { flagName, errorCode, count: 0, periodStart: this.period() };
    entry.count += count;
    this.errors.set(key, entry);
  }

  /** Buffers one outcome; one the relay would refuse (over-long names, oversized metadata) is counted as dropped. */
  track(input: TrackInput): void {
    const names = [input.name, input.userId, input.flagName, input.variant].filter((name) => name !== undefined);
    if (!names.every(fits) || jsonBytes(input.metadata) > MAX_METADATA_BYTES) {
      this.dropped += 1;
      return;
    }
    this.events.push({ ...input, timestamp: this.now().toISOString() });
    this.trimEvents();
  }

  /** Sends what is buffered, one part after the other; does nothing when the buffer is empty. */
  async flush(pageHidden: boolean): Promise<void> {
    const batch = this.take();
    if (!batch) return;
    const parts = splitUsageBatch(batch, this.limits);
    for (const [index, part] of parts.entries()) {
      try {
        await this.send(part, pageHidden);
      } catch (error) {
        if (refused(error)) {
          this.dropped += weight(part);
          continue;
        }
        // Newest first: each put-back goes before what is already buffered, so the order is kept.
        for (const unsent of parts.slice(index).reverse()) this.putBack(unsent);
        return;
      }
    }
  }

  private take(): UsageBatch | undefined {
    if (this.counts.size === 0 && this.errors.size === 0 && this.events.length === 0 && this.dropped === 0)
      return undefined;
    const batch: UsageBatch = {
      evaluations: [...this.counts.values()].map(({ entry, users }) => ({ ...entry, ...users.toEntryFields() })),
      errors: [...this.errors.values()],
      events: this.events,
      dropped: this.dropped,
    };
    this.counts = new Map();
    this.errors = new Map();
    this.events = [];
    this.dropped = 0;
    this.periodStart = undefined;
    return batch;
  }

  private putBack(batch: UsageBatch): void {
    for (const entry of batch.evaluations ?? []) {
      const users = this.addCount(entry.flagName, entry.variant, entry.enabled, entry.count);
      for (const userId of entry.userIds ?? []) users.add(userId);
      if (entry.userSketch) users.addSketch(decodeUserSketch(entry.userSketch));
    }
    for (const entry of batch.errors ?? []) this.countError(entry.flagName, entry.errorCode, entry.count);
    this.events = [...(batch.events ?? []), ...this.events];
    this.dropped += batch.dropped ?? 0;
    this.trimEvents();
  }

  /** Adds `count` evaluations to the (flag, variant, enabled) count; returns its users. */
  private addCount(flagName: string, variant: string | undefined, enabled: boolean, count: number): UniqueIds {
    const key = `${flagName}\u0000${variant ?? ''}\u0000${enabled}`;
    let pending = this.counts.get(key);
    if (!pending) {
      pending = {
        entry: { flagName, variant, enabled, count: 0, periodStart: this.period() },
        users: new UniqueIds(this.limits.maxUserIdsPerEntry),
      };
      this.counts.set(key, pending);
    }
    pending.entry.count += count;
    return pending.users;
  }

  private trimEvents(): void {
    const excess = this.events.length - this.maxEvents;
    if (excess > 0) {
      this.events.splice(0, excess);
      this.dropped += excess;
    }
  }

  private period(): string {
    this.periodStart ??= this.now().toISOString();
    return this.periodStart;
  }
}

/** What is lost when `batch` is dropped. */
function weight(batch: UsageBatch): number {
  const sum = (entries: Array<{ count: number }> = []) => entries.reduce((total, entry) => total + entry.count, 0);
  return sum(batch.evaluations) + sum(batch.errors) + (batch.events?.length ?? 0) + (batch.dropped ?? 0);
}

/** The relay answered with an error that the same body can never get past. */
function refused(error: unknown): boolean {
  return error instanceof SwitchyardHttpError && !error.retriable;
}

function fits(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH;
}
