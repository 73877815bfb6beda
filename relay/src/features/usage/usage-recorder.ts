import type { UsageBatch } from '@switchyard/protocol';
import { NO_FLAG, NO_VARIANT, uniqueDimension, type UsageDelta, type UsageStore } from '../../store/usage-store.js';
import { hourStartOf, UsageAggregator } from './usage-aggregator.js';
import { UsageBackpressureError } from './usage-errors.js';
import type { UsageSettings } from './usage-settings.js';

/** What the relay's own evaluation endpoints report per evaluation. */
export interface RecordedEvaluation {
  flagName: string;
  variant?: string;
  enabled: boolean;
  errorCode?: string;
}

/** What a batch added, answered with 202 so the sender sees exactly what was taken. */
export interface IngestSummary {
  /** Sum of the evaluation entries' counts. */
  evaluations: number;
  /** Sum of the error entries' counts. */
  errors: number;
  events: number;
  /** Events without a `flagName`: counted for the environment, not attributed to a flag. */
  unattributedEvents: number;
  /** The sender's own `dropped` count, recorded. */
  droppedBySender: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Aggregates usage in memory, from the relay's own evaluations and from ingested batches, and
 * writes it to the store every `flushIntervalMs` (and on `stop`). A failed write is taken back and
 * retried with the next flush; while too much awaits a write, ingestion answers 503 instead of
 * growing without bound.
 */
export class UsageRecorder {
  private readonly aggregator: UsageAggregator;
  private lastFlush: Promise<void> = Promise.resolve();
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private cachedHourMs = -1;
  private cachedHourStart = '';
  private lastRetentionMs = Number.NEGATIVE_INFINITY;
  /** The delta whose write failed, retried first by the next flush. */
  private failed: UsageDelta | null = null;

  constructor(
    private readonly store: UsageStore,
    private readonly settings: UsageSettings,
    private readonly now: () => number = Date.now,
    private readonly onFlushError: (error: unknown) => void = () => undefined,
  ) {
    this.aggregator = new UsageAggregator(settings.exactUniqueLimit);
  }

  /** On the evaluation path: in memory only, never throws, never waits. */
  recordEvaluation(environment: string, evaluation: RecordedEvaluation, userId?: string): void {
    const bucket = this.aggregator.bucket(environment, evaluation.flagName, this.currentHourStart());
    if (evaluation.errorCode) {
      bucket.errors[evaluation.errorCode] = (bucket.errors[evaluation.errorCode] ?? 0) + 1;
      return;
    }
    const variant = evaluation.variant ?? NO_VARIANT;
    this.aggregator.addEvaluations(bucket, variant, evaluation.enabled, 1);
    if (userId) this.aggregator.addExposure(bucket, variant, userId);
  }

  /** Adds a validated batch; throws UsageBackpressureError while too much awaits a write. */
  ingest(environment: string, batch: UsageBatch): IngestSummary {
    this.checkBackpressure();
    const summary: IngestSummary = { evaluations: 0, errors: 0, events: 0, unattributedEvents: 0, droppedBySender: 0 };
    for (const entry of batch.evaluations ?? []) {
      const bucket = this.aggregator.bucket(environment, entry.flagName, hourOf(entry.periodStart));
      const variant = entry.variant ?? NO_VARIANT;
      this.aggregator.addEvaluations(bucket, variant, entry.enabled, entry.count);
      for (const userId of entry.userIds ?? []) this.aggregator.addExposure(bucket, variant, userId);
      summary.evaluations += entry.count;
    }
    for (const entry of batch.errors ?? []) {
      const bucket = this.aggregator.bucket(environment, entry.flagName, hourOf(entry.periodStart));
      bucket.errors[entry.errorCode] = (bucket.errors[entry.errorCode] ?? 0) + entry.count;
      summary.errors += entry.count;
    }
    for (const event of batch.events ?? []) {
      const bucket = this.aggregator.bucket(environment, event.flagName ?? NO_FLAG, hourOf(event.timestamp));
      const variant = event.variant ?? NO_VARIANT;
      this.aggregator.addOutcome(bucket, event.name, variant, event.value);
      if (event.flagName && event.userId) this.aggregator.addId(bucket, uniqueDimension.converters(event.name, variant), event.userId);
      summary.events += 1;
      if (!event.flagName) summary.unattributedEvents += 1;
    }
    if (batch.dropped) {
      this.aggregator.bucket(environment, NO_FLAG, this.currentHourStart()).droppedBySender += batch.dropped;
      summary.droppedBySender = batch.dropped;
    }
    return summary;
  }

  /** Writes everything pending; resolves when written, rejects (keeping it pending) when the store failed. */
  flush(): Promise<void> {
    const run = this.lastFlush.then(() => this.writePending());
    this.lastFlush = run.catch(() => undefined);
    return run;
  }

  /** Buckets and unique sets awaiting a write. */
  get pendingKeys(): number {
    return this.aggregator.size + (this.failed ? this.failed.counters.length + this.failed.uniques.length : 0);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.flushing) return;
      this.flush()
        .then(() => this.applyRetention())
        .catch(this.onFlushError);
    }, this.settings.flushIntervalMs);
    this.timer.unref();
  }

  /** At most once an hour (the flush timer calls it): deletes usage older than `retentionDays`. */
  async applyRetention(): Promise<void> {
    const now = this.now();
    if (now - this.lastRetentionMs < HOUR_MS) return;
    this.lastRetentionMs = now;
    await this.store.deleteBefore(hourStartOf(now - this.settings.retentionDays * DAY_MS));
  }

  /** Stops the timer and writes what is pending. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** A failed delta is retried as the same object, which stores recognise: no double counting. */
  private async writePending(): Promise<void> {
    this.flushing = true;
    try {
      if (this.failed) {
        await this.store.apply(this.failed);
        this.failed = null;
      }
      if (this.aggregator.size === 0) return;
      const delta = this.aggregator.drain();
      try {
        await this.store.apply(delta);
      } catch (error) {
        this.failed = delta;
        throw error;
      }
    } finally {
      this.flushing = false;
    }
  }

  private checkBackpressure(): void {
    const pending = this.pendingKeys;
    if (pending < this.settings.maxPendingKeys) return;
    if (!this.flushing) this.flush().catch(this.onFlushError);
    throw new UsageBackpressureError(pending, Math.ceil(this.settings.flushIntervalMs / 1000) + 1);
  }

  private currentHourStart(): string {
    const ms = this.now();
    if (ms < this.cachedHourMs || ms >= this.cachedHourMs + HOUR_MS) {
      this.cachedHourMs = Math.floor(ms / HOUR_MS) * HOUR_MS;
      this.cachedHourStart = new Date(this.cachedHourMs).toISOString();
    }
    return this.cachedHourStart;
  }
}

function hourOf(timestamp: string): string {
  return hourStartOf(Date.parse(timestamp));
}
