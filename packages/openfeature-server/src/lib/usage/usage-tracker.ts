import type { EvaluationContext, Logger, TrackingEventDetails } from '@openfeature/core';
import type { ErrorCode, JsonValue } from '@switchyard/core';
import type { TrackedEvent, UsageBatch } from '@switchyard/protocol';
import type { UsageOptions } from '../provider-options.js';
import { UsageRecorder } from './usage-recorder.js';
import { UsageShipper } from './usage-shipper.js';

/** The provider's usage tracking: what it records on each evaluation and `track()`, and its shipping. */
export class UsageTracker {
  private readonly recorder: UsageRecorder;
  private readonly shipper: UsageShipper;

  constructor(
    options: UsageOptions,
    send: (batch: UsageBatch) => Promise<void>,
    environment: () => string | undefined,
    logger: () => Logger,
  ) {
    this.recorder = new UsageRecorder(options);
    this.shipper = new UsageShipper(this.recorder, send, options, environment, logger);
  }

  start(): void {
    this.shipper.start();
  }

  evaluation(flagName: string, variant: string | undefined, enabled: boolean, userId: string | undefined): void {
    this.recorder.recordEvaluation(flagName, variant, enabled, userId);
  }

  error(flagName: string, errorCode: ErrorCode): void {
    this.recorder.recordError(flagName, errorCode);
  }

  track(name: string, context: EvaluationContext, details: TrackingEventDetails): void {
    this.recorder.recordEvent(toTrackedEvent(name, context, details));
    this.shipper.eventRecorded();
  }

  /** Ships what is recorded now (tests and graceful shutdowns). */
  flush(): Promise<void> {
    return this.shipper.flush();
  }

  close(timeoutMs: number): Promise<void> {
    return this.shipper.close(timeoutMs);
  }
}

/**
 * `value` (a number) and the `flagName`/`variant` the outcome belongs to get their own fields;
 * every other detail is metadata (dates become ISO strings).
 */
export function toTrackedEvent(name: string, context: EvaluationContext, details: TrackingEventDetails): TrackedEvent {
  const { value, flagName, variant, ...rest } = details ?? {};
  const event: TrackedEvent = { name, timestamp: new Date().toISOString() };
  if (typeof context?.targetingKey === 'string') event.userId = context.targetingKey;
  if (typeof flagName === 'string') event.flagName = flagName;
  if (typeof variant === 'string') event.variant = variant;
  if (typeof value === 'number' && Number.isFinite(value)) event.value = value;
  if (Object.keys(rest).length > 0) event.metadata = JSON.parse(JSON.stringify(rest)) as Record<string, JsonValue>;
  return event;
}
