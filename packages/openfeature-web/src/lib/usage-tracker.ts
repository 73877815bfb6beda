import type { EvaluationCount, EvaluationErrorCount, TrackedEvent, UsageBatch } from '@switchyard/protocol';
import type { JsonValue } from '@openfeature/web-sdk';

type ErrorCode = EvaluationErrorCount['errorCode'];

/** Distinct user ids kept per count entry; a page rarely has more than one user. */
const MAX_USER_IDS_PER_ENTRY = 20;
/** The relay's defaults for names and event metadata: one entry beyond them would fail the whole batch. */
const MAX_NAME_LENGTH = 256;
const MAX_METADATA_CHARS = 4096;

export interface TrackInput {
  name: string;
  userId?: string;
  flagName?: string;
  variant?: string;
  value?: number;
  metadata: Record<string, JsonValue>;
}

type Send = (batch: UsageBatch, pageHidden: boolean) => Promise<void>;

/**
 * Buffers evaluation counts (pre-aggregated per flag, variant and on/off) and tracked events
 * until the next flush. A failed flush puts everything back, so a flaky network loses nothing
 * but what overflows `maxEvents`, which is reported as `dropped`.
 */
export class UsageTracker {
  private counts = new Map<string, EvaluationCount>();
  private errors = new Map<string, EvaluationErrorCount>();
  private events: TrackedEvent[] = [];
  private dropped = 0;
  private periodStart: string | undefined;

  constructor(
    private readonly send: Send,
    private readonly maxEvents: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  countEvaluation(flagName: string, variant: string | undefined, enabled: boolean, userId: string | undefined): void {
    if (!fits(flagName) || (variant !== undefined && !fits(variant))) return;
    this.addCount(flagName, variant, enabled, 1, userId === undefined ? [] : [userId]);
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
    if (!names.every(fits) || JSON.stringify(input.metadata).length > MAX_METADATA_CHARS) {
      this.dropped += 1;
      return;
    }
    this.events.push({ ...input, timestamp: this.now().toISOString() });
    this.trimEvents();
  }

  /** Sends what is buffered; does nothing when the buffer is empty. */
  async flush(pageHidden: boolean): Promise<void> {
    const batch = this.take();
    if (!batch) return;
    try {
      await this.send(batch, pageHidden);
    } catch {
      this.putBack(batch);
    }
  }

  private take(): UsageBatch | undefined {
    if (this.counts.size === 0 && this.errors.size === 0 && this.events.length === 0 && this.dropped === 0) return undefined;
    const batch: UsageBatch = {
      evaluations: [...this.counts.values()],
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
      this.addCount(entry.flagName, entry.variant, entry.enabled, entry.count, entry.userIds ?? []);
    }
    for (const entry of batch.errors ?? []) this.countError(entry.flagName, entry.errorCode, entry.count);
    this.events = [...(batch.events ?? []), ...this.events];
    this.dropped += batch.dropped ?? 0;
    this.trimEvents();
  }

  private addCount(flagName: string, variant: string | undefined, enabled: boolean, count: number, userIds: string[]): void {
    const key = `${flagName}\u0000${variant ?? ''}\u0000${enabled}`;
    let entry = this.counts.get(key);
    if (!entry) {
      entry = { flagName, variant, enabled, count: 0, periodStart: this.period() };
      this.counts.set(key, entry);
    }
    entry.count += count;
    for (const userId of userIds) {
      entry.userIds ??= [];
      if (entry.userIds.length < MAX_USER_IDS_PER_ENTRY && !entry.userIds.includes(userId)) entry.userIds.push(userId);
    }
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

function fits(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH;
}
