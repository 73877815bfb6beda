import { decodeUserSketch, type UsageBatch } from '@switchyard/protocol';
import {
  NO_FLAG,
  NO_VARIANT,
  uniqueDimension,
  type UsageBucket,
  type UsageDelta,
  type UsageStore,
} from '../../store/usage/usage-store.js';
import { OutcomeNames } from './outcome-names.js';
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

/** Events left out because their flag, environment and hour already has the most outcome names allowed. */
interface OutcomesOverLimit {
  events: number;
  /** Sorted, each once: `flag/outcome` (`/outcome` for events without a flag). */
  outcomes: string[];
}

export interface IngestResult {
  accepted: IngestSummary;
  outcomesOverLimit: OutcomesOverLimit;
}

/** What a batch added, answered with 202 so the sender sees exactly what was taken. */
interface IngestSummary {
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
  private cachedHourMs = -1;
  private cachedHourStart = '';
  private lastRetentionMs = Number.NEGATIVE_INFINITY;
  /** The delta whose write failed, retried first by the next flush. */
  private failed: UsageDelta | null = null;
  /** The delta being written now. */
  private inFlight: UsageDelta | null = null;
  private readonly outcomeNames: OutcomeNames;

  constructor(
    private readonly store: UsageStore,
    private readonly settings: UsageSettings,
    private readonly now: () => number = Date.now,
    private readonly onFlushError: (error: unknown) => void = () => undefined,
  ) {
    this.aggregator = new UsageAggregator(settings.exactUniqueLimit);
    this.outcomeNames = new OutcomeNames(settings.maxOutcomesPerFlagHour, settings.outcomeNameCacheFlagHours);
  }

  /**
   * Before `ingest`: reads back the outcome names already counted for the batch's event buckets
   * that this relay does not hold in memory (after a restart, or forgotten), from the store and
   * from writes still pending, so that SWITCHYARD_USAGE_MAX_OUTCOMES_PER_FLAG_HOUR holds across
   * restarts. If the store cannot be read, only the names this relay has seen count.
   */
  async loadOutcomeNames(environment: string, batch: UsageBatch): Promise<void> {
    const missing = new Map<string, Set<string>>();
    for (const event of batch.events ?? []) {
      const flagName = event.flagName ?? NO_FLAG;
      const hourStart = hourOf(event.timestamp);
      if (this.outcomeNames.has(OutcomeNames.keyOf(environment, flagName, hourStart))) continue;
      let hours = missing.get(flagName);
      if (!hours) missing.set(flagName, (hours = new Set()));
      hours.add(hourStart);
    }
    await Promise.all(
      [...missing].map(([flagName, hours]) => this.readOutcomeNames(environment, flagName, [...hours].sort())),
    );
  }

  private async readOutcomeNames(environment: string, flagName: string, hours: string[]): Promise<void> {
    const to = hourStartOf(Date.parse(hours[hours.length - 1] as string) + HOUR_MS);
    const stored = await this.store.buckets({ from: hours[0] as string, to, flagName, environment }).catch(() => []);
    const pending = [this.failed, this.inFlight].flatMap((delta) => delta?.counters ?? []);
    for (const hourStart of hours) {
      const key = OutcomeNames.keyOf(environment, flagName, hourStart);
      const same = (bucket: UsageBucket) =>
        bucket.hourStart === hourStart && bucket.environment === environment && bucket.flagName === flagName;
      const names = [...stored, ...pending].filter(same).flatMap((bucket) => Object.keys(bucket.outcomes));
      this.outcomeNames.seed(key, [...names, ...this.aggregator.pendingOutcomes(environment, flagName, hourStart)]);
    }
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
  ingest(environment: string, batch: UsageBatch): IngestResult {
    this.checkBackpressure();
    const summary: IngestSummary = { evaluations: 0, errors: 0, events: 0, unattributedEvents: 0, droppedBySender: 0 };
    let eventsOverLimit = 0;
    const outcomesOverLimit = new Set<string>();
    for (const entry of batch.evaluations ?? []) {
      const bucket = this.aggregator.bucket(environment, entry.flagName, hourOf(entry.periodStart));
      const variant = entry.variant ?? NO_VARIANT;
      this.aggregator.addEvaluations(bucket, variant, entry.enabled, entry.count);
      for (const userId of entry.userIds ?? []) this.aggregator.addExposure(bucket, variant, userId);
      if (entry.userSketch) this.aggregator.addExposureSketch(bucket, variant, decodeUserSketch(entry.userSketch));
      summary.evaluations += entry.count;
    }
    for (const entry of batch.errors ?? []) {
      const bucket = this.aggregator.bucket(environment, entry.flagName, hourOf(entry.periodStart));
      bucket.errors[entry.errorCode] = (bucket.errors[entry.errorCode] ?? 0) + entry.count;
      summary.errors += entry.count;
    }
    for (const event of batch.events ?? []) {
      const flagName = event.flagName ?? NO_FLAG;
      const hourStart = hourOf(event.timestamp);
      if (!this.outcomeNames.admit(OutcomeNames.keyOf(environment, flagName, hourStart), event.name)) {
        eventsOverLimit += 1;
        outcomesOverLimit.add(`${flagName}/${event.name}`);
        continue;
      }
      const bucket = this.aggregator.bucket(environment, flagName, hourStart);
      const variant = event.variant ?? NO_VARIANT;
      this.aggregator.addOutcome(bucket, event.name, variant, event.value);
      if (event.flagName && event.userId)
        this.aggregator.addId(bucket, uniqueDimension.converters(event.name, variant), event.userId);
      summary.events += 1;
      if (!event.flagName) summary.unattributedEvents += 1;
    }
    if (batch.dropped) {
      this.aggregator.bucket(environment, NO_FLAG, this.currentHourStart()).droppedBySender += batch.dropped;
      summary.droppedBySender = batch.dropped;
    }
    this.outcomeNames.trim();
    return {
      accepted: summary,
      outcomesOverLimit: { events: eventsOverLimit, outcomes: [...outcomesOverLimit].sort() },
    };
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

  /**
   * What the `usage-flush` job runs every SWITCHYARD_USAGE_FLUSH_INTERVAL_MS: writes what is pending
   * (unless a flush is under way), then applies retention; a failure goes to `onFlushError` and what
   * failed is retried by the next flush.
   */
  async flushOnSchedule(): Promise<void> {
    if (this.flushing) return;
    await this.flush()
      .then(() => this.applyRetention())
      .catch(this.onFlushError);
  }

  /** At most once an hour (the flush job calls it): deletes usage older than `retentionDays`. */
  async applyRetention(): Promise<void> {
    const now = this.now();
    if (now - this.lastRetentionMs < HOUR_MS) return;
    this.lastRetentionMs = now;
    await this.store.deleteBefore(hourStartOf(now - this.settings.retentionDays * DAY_MS));
  }

  /** Writes what is pending (at shutdown, once the flush job has stopped). */
  async stop(): Promise<void> {
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
      this.inFlight = delta;
      try {
        await this.store.apply(delta);
      } catch (error) {
        this.failed = delta;
        throw error;
      }
    } finally {
      this.inFlight = null;
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
