import type { EvaluationCount, EvaluationErrorCount, TrackedEvent, UsageBatch } from '@switchyard/protocol';
import type { JsonValue } from '@openfeature/web-sdk';

type ErrorCode = EvaluationErrorCount['errorCode'];

/** Distinct user ids kept per count entry; a page rarely has more than one user. */
const MAX_USER_IDS_PER_ENTRY = 20;

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
    this.addCount(flagName, variant, enabled, 1, userId === undefined ? [] : [userId]);
  }

  countError(flagName: string, errorCode: ErrorCode, count = 1): void {
    const key = `${flagName}\u0000${errorCode}`;
    const entry = this.errors.get(key) ?? { flagName, errorCode, count: 0, periodStart: this.period() };
    entry.count += count;
    this.errors.set(key, entry);
  }

  track(name: string, userId: string | undefined, value: number | undefined, metadata: Record<string, JsonValue>): void {
    this.events.push({ name, userId, value, metadata, timestamp: this.now().toISOString() });
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
