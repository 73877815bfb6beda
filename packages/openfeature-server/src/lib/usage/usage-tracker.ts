import type { EvaluationContext, Logger, TrackingEventDetails } from '@openfeature/core';
import type { ErrorCode, JsonValue } from '@switchyard/core';
import { ServedVariants, type TrackedEvent, type UsageBatch } from '@switchyard/protocol';
import type { UsageOptions } from '../provider-options.js';
import { USAGE_NAME_MAX_LENGTH, UsageRecorder } from './usage-recorder.js';
import { UsageShipper } from './usage-shipper.js';

/** The provider's usage tracking: what it records on each evaluation and `track()`, and its shipping. */
export class UsageTracker {
  private readonly recorder: UsageRecorder;
  private readonly shipper: UsageShipper;
  /** Variants users were served, for outcomes tracked without a flag name. */
  private readonly served: ServedVariants;

  constructor(
    private readonly options: UsageOptions,
    send: (batch: UsageBatch) => Promise<void>,
    environment: () => string | undefined,
    logger: () => Logger,
  ) {
    this.recorder = new UsageRecorder(options);
    this.shipper = new UsageShipper(this.recorder, send, options, environment, logger);
    this.served = new ServedVariants(options.attributionWindowMs, options.maxAttributedUsers);
  }

  start(): void {
    this.shipper.start();
  }

  /** `ownVariant`: the variant served is one of the flag's own (not `on`/`off`), so outcomes naming no flag may be attributed to it. */
  evaluation(
    flagName: string,
    variant: string | undefined,
    enabled: boolean,
    userId: string | undefined,
    ownVariant: boolean,
  ): void {
    this.recorder.recordEvaluation(flagName, variant, enabled, userId);
    if (ownVariant && variant !== undefined && userId !== undefined) this.served.served(userId, flagName, variant);
  }

  error(flagName: string, errorCode: ErrorCode): void {
    this.recorder.recordError(flagName, errorCode);
  }

  /**
   * Records the outcome. Without a flag name it counts for each flag with variants this targeting
   * key was served within `attributionWindowMs`, for the variant served (one event per flag); when
   * there is none, it goes unattributed.
   */
  track(name: string, context: EvaluationContext, details: TrackingEventDetails): void {
    const event = toTrackedEvent(name, context, details, this.options.maxEventMetadataBytes);
    const attributed =
      event.flagName === undefined && event.userId !== undefined ? this.served.attribution(event.userId) : [];
    if (attributed.length === 0) this.recorder.recordEvent(event);
    for (const served of attributed) this.recorder.recordEvent({ ...event, ...served });
    this.shipper.eventRecorded();
  }

  close(timeoutMs: number): Promise<void> {
    return this.shipper.close(timeoutMs);
  }
}

/**
 * `value` (a number) and the `flagName`/`variant` the outcome belongs to get their own fields;
 * every other detail is metadata (dates become ISO strings). Names longer than the relay accepts
 * and metadata over `maxMetadataBytes` are left out, so one event cannot fail a whole batch.
 */
export function toTrackedEvent(
  name: string,
  context: EvaluationContext,
  details: TrackingEventDetails,
  maxMetadataBytes: number,
): TrackedEvent {
  const { value, flagName, variant, ...rest } = details ?? {};
  const event: TrackedEvent = { name, timestamp: new Date().toISOString() };
  if (isShortName(context?.targetingKey)) event.userId = context.targetingKey;
  if (isShortName(flagName)) event.flagName = flagName;
  if (isShortName(variant)) event.variant = variant;
  if (typeof value === 'number' && Number.isFinite(value)) event.value = value;
  if (Object.keys(rest).length > 0) {
    const json = JSON.stringify(rest);
    if (Buffer.byteLength(json) <= maxMetadataBytes) event.metadata = JSON.parse(json) as Record<string, JsonValue>;
  }
  return event;
}

function isShortName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= USAGE_NAME_MAX_LENGTH;
}
