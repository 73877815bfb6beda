import type { ErrorCode } from '@switchyard/core';
import {
  UniqueIds,
  type EvaluationCount,
  type EvaluationErrorCount,
  type TrackedEvent,
  type UsageBatch,
} from '@switchyard/protocol';

/** Longest flag, variant, event or user name the relay accepts in usage; longer ones would fail the whole batch. */
export const USAGE_NAME_MAX_LENGTH = 256;

export interface UsageRecorderLimits {
  maxBufferedEvents: number;
  maxCounters: number;
  maxUserIdsPerCounter: number;
}

interface EvaluationCounter {
  flagName: string;
  variant: string | undefined;
  enabled: boolean;
  count: number;
  /** Exact up to maxUserIdsPerCounter, then a HyperLogLog sketch of all of them: no user is cut. */
  users: UniqueIds;
}

/** A flag's evaluation counters by variant (undefined: no variant), then by enabled. */
type FlagCounters = Map<string | undefined, { on?: EvaluationCounter; off?: EvaluationCounter }>;

interface ErrorCounter {
  flagName: string;
  errorCode: ErrorCode;
  count: number;
}

/**
 * Counts evaluations and errors in memory and buffers tracked events until the next batch.
 * Recording is a map lookup and an increment: it runs on every evaluation.
 */
export class UsageRecorder {
  // Nested by flag and variant rather than keyed by a joined string: no string is built per evaluation.
  private evaluations = new Map<string, FlagCounters>();
  private evaluationCounters = 0;
  private errors = new Map<string, Map<ErrorCode, ErrorCounter>>();
  private errorCounters = 0;
  private events: TrackedEvent[] = [];
  private dropped = 0;
  private periodStart: Date;

  constructor(
    private readonly limits: UsageRecorderLimits,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.periodStart = now();
  }

  get bufferedEvents(): number {
    return this.events.length;
  }

  get isEmpty(): boolean {
    return this.counters() === 0 && this.events.length === 0 && this.dropped === 0;
  }

  recordEvaluation(flagName: string, variant: string | undefined, enabled: boolean, userId: string | undefined): void {
    if (flagName.length > USAGE_NAME_MAX_LENGTH || (variant?.length ?? 0) > USAGE_NAME_MAX_LENGTH) return;
    const byVariant = innerMap(this.evaluations, flagName);
    let pair = byVariant.get(variant);
    if (pair === undefined) {
      pair = {};
      byVariant.set(variant, pair);
    }
    let counter = enabled ? pair.on : pair.off;
    if (counter === undefined) {
      if (!this.roomForCounter()) return;
      counter = { flagName, variant, enabled, count: 0, users: new UniqueIds(this.limits.maxUserIdsPerCounter) };
      if (enabled) pair.on = counter;
      else pair.off = counter;
      this.evaluationCounters += 1;
    }
    counter.count += 1;
    if (userId !== undefined && userId.length <= USAGE_NAME_MAX_LENGTH) counter.users.add(userId);
  }

  recordError(flagName: string, errorCode: ErrorCode): void {
    if (flagName.length > USAGE_NAME_MAX_LENGTH) return;
    const byCode = innerMap(this.errors, flagName);
    let counter = byCode.get(errorCode);
    if (counter === undefined) {
      if (!this.roomForCounter()) return;
      counter = { flagName, errorCode, count: 0 };
      byCode.set(errorCode, counter);
      this.errorCounters += 1;
    }
    counter.count += 1;
  }

  recordEvent(event: TrackedEvent): void {
    if (this.events.length >= this.limits.maxBufferedEvents || event.name.length > USAGE_NAME_MAX_LENGTH) {
      this.dropped += 1;
      return;
    }
    this.events.push(event);
  }

  /** Counts lost elsewhere (a batch the relay never took), reported with the next batch. */
  addDropped(count: number): void {
    this.dropped += count;
  }

  /** Everything recorded since the last call, as one batch; the counters start over. */
  takeBatch(environment: string | undefined): UsageBatch | undefined {
    if (this.isEmpty) return undefined;
    const periodStart = this.periodStart.toISOString();
    const evaluations: EvaluationCount[] = [];
    for (const byVariant of this.evaluations.values()) {
      for (const { on, off } of byVariant.values()) {
        for (const counter of [on, off]) {
          if (counter !== undefined) evaluations.push(toEvaluationCount(counter, periodStart));
        }
      }
    }
    const errors: EvaluationErrorCount[] = [];
    for (const byCode of this.errors.values()) {
      for (const counter of byCode.values()) errors.push({ ...counter, periodStart });
    }
    const batch: UsageBatch = {
      ...(environment === undefined ? {} : { environment }),
      evaluations,
      errors,
      events: this.events,
      dropped: this.dropped,
    };
    this.evaluations = new Map();
    this.evaluationCounters = 0;
    this.errors = new Map();
    this.errorCounters = 0;
    this.events = [];
    this.dropped = 0;
    this.periodStart = this.now();
    return batch;
  }

  private counters(): number {
    return this.evaluationCounters + this.errorCounters;
  }

  /** Whether one more counter fits in `maxCounters`; when not, what was to be counted is dropped. */
  private roomForCounter(): boolean {
    if (this.counters() < this.limits.maxCounters) return true;
    this.dropped += 1;
    return false;
  }
}

/** The inner map of `outer` at `key`, created empty on first use. */
function innerMap<K, K2, V>(outer: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}

function toEvaluationCount(counter: EvaluationCounter, periodStart: string): EvaluationCount {
  return {
    flagName: counter.flagName,
    ...(counter.variant === undefined ? {} : { variant: counter.variant }),
    enabled: counter.enabled,
    count: counter.count,
    ...counter.users.toEntryFields(),
    periodStart,
  };
}

/** How many recorded things a batch stands for: what is lost if it is dropped. */
export function batchWeight(batch: UsageBatch): number {
  const evaluations = (batch.evaluations ?? []).reduce((sum, entry) => sum + entry.count, 0);
  const errors = (batch.errors ?? []).reduce((sum, entry) => sum + entry.count, 0);
  return evaluations + errors + (batch.events?.length ?? 0) + (batch.dropped ?? 0);
}
