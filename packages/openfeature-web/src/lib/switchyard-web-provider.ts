import {
  ClientProviderEvents,
  ErrorCode,
  FlagNotFoundError,
  OpenFeatureEventEmitter,
  TypeMismatchError,
  instantiateErrorByErrorCode,
  type EvaluationContext,
  type FlagValue,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/web-sdk';
import {
  Backoff,
  DisconnectGrace,
  PROVIDER_NAME,
  ServedVariants,
  SwitchyardHttpError,
  SwitchyardTransportError,
  SwitchyardUnauthorizedError,
  type EvaluationErrorCount,
} from '@switchyard/protocol';
import { changedFlagKeys, type FlagValues } from './flag-values.js';
import {
  reconnectBackoff,
  resolveOptions,
  type ResolvedWebProviderOptions,
  type SwitchyardWebProviderOptions,
} from './options.js';
import { RelayTransport } from './relay-transport.js';
import { ChangeDetection } from './change-detection.js';
import type { ValuesAnswer, WebTransport } from './transport.js';
import { UsageTracker } from './usage-tracker.js';

type ValueType = 'boolean' | 'string' | 'number' | 'object';

/** Users (targeting keys) a page remembers served variants for: the current one and a few before a login or logout. */
const ATTRIBUTED_USERS = 8;

/**
 * OpenFeature web provider for Switchyard (static context). The relay evaluates every flag for
 * the page's context in one request; evaluations are synchronous lookups in that answer, so the
 * page never sees targeting rules. Websocket notifications (or polling) trigger re-fetches.
 */
export class SwitchyardWebProvider implements Provider {
  readonly metadata = { name: PROVIDER_NAME } as const;
  readonly runsOn = 'client' as const;
  readonly events = new OpenFeatureEventEmitter();

  private readonly options: ResolvedWebProviderOptions;
  private readonly transport: WebTransport;
  private readonly usage: UsageTracker | undefined;
  /** Variants this page's user was served, for outcomes tracked without a flag name. */
  private readonly served: ServedVariants;
  private readonly changes: ChangeDetection;
  private values: FlagValues = {};
  /** False until values arrived once: before that, which flags changed is unknown. */
  private loaded = false;
  private etag: string | undefined;
  private context: EvaluationContext = {};
  /** Bumped by every context change: answers fetched for an older context are discarded. */
  private generation = 0;
  /** The newest context change's outcome, which overtaken ones mirror. */
  private latestContextChange: Promise<void> | undefined;
  /**
   * What the SDK was told since values last arrived: READY is announced when they do again, and a
   * failure it already shows as ERROR is not downgraded to STALE.
   */
  private reported: 'nothing' | 'stale' | 'error' = 'nothing';
  private fatal = false;
  /** Set by `onClose`: a request still running then must not revive the retry loop or emit events. */
  private closed = false;
  private inFlight = new AbortController();
  private notBeforeMs = 0;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly retryBackoff: Backoff;
  /** STALE after `staleAfterMs` without the relay, ERROR after `errorAfterMs`. */
  private readonly grace: DisconnectGrace;
  private lastFailure = '';

  constructor(options: SwitchyardWebProviderOptions, transport?: WebTransport) {
    this.options = resolveOptions(options);
    this.retryBackoff = new Backoff(reconnectBackoff(this.options));
    this.grace = new DisconnectGrace(this.options, {
      stale: () => this.announce(ClientProviderEvents.Stale, `${this.lastFailure}; values may be outdated`),
      error: () =>
        this.announce(
          ClientProviderEvents.Error,
          `relay unreachable for ${this.options.errorAfterMs} ms (${this.lastFailure}); serving the last known values`,
        ),
    });
    this.transport = transport ?? new RelayTransport(this.options);
    this.usage = this.options.usage
      ? new UsageTracker((batch, hidden) => this.transport.sendUsage(batch, hidden), this.options.usageMaxEvents, {
          maxBatchBytes: this.options.usageMaxBatchBytes,
          maxBatchEntries: this.options.usageMaxBatchEntries,
          maxBatchSketches: this.options.usageMaxBatchSketches,
          maxUserIdsPerEntry: this.options.usageMaxUserIdsPerEntry,
        })
      : undefined;
    this.served = new ServedVariants(this.options.usageAttributionWindowMs, ATTRIBUTED_USERS);
    this.changes = new ChangeDetection(this.transport, this.options, {
      refresh: () => void this.refresh(),
      disconnected: () => this.connectionLost('lost the connection to the relay'),
      rejected: () => this.markFatal('the relay rejected the client key'),
      flushUsage: (hidden) => void this.usage?.flush(hidden),
    });
  }

  async initialize(context?: EvaluationContext): Promise<void> {
    this.context = context ?? {};
    this.fatal = false;
    this.reported = 'nothing';
    this.closed = false;
    this.inFlight = new AbortController();
    try {
      this.apply(await this.transport.fetchValues(this.context, undefined, this.inFlight.signal));
    } catch (error) {
      if (this.closed || error instanceof SwitchyardUnauthorizedError) throw toProviderError(error);
      // The SDK shows ERROR; a relay that was briefly unreachable is retried, then READY is announced.
      this.reported = 'error';
      this.changes.start(this.usage !== undefined);
      this.scheduleRetry();
      throw toProviderError(error);
    }
    this.changes.start(this.usage !== undefined);
  }

  onContextChange(_oldContext: EvaluationContext, newContext: EvaluationContext): Promise<void> {
    const generation = ++this.generation;
    this.context = newContext;
    const change = this.changeContext(generation, newContext);
    this.latestContextChange = change;
    return change;
  }

  private async changeContext(generation: number, context: EvaluationContext): Promise<void> {
    try {
      const answer = await this.transport.fetchValues(context, undefined, this.inFlight.signal);
      // Overtaken: the SDK sets its status from whichever change settles last, so this one ends
      // as the newest one does (after it); resolving now would announce READY for a stale user.
      if (generation !== this.generation) return this.latestContextChange;
      this.apply(answer);
    } catch (error) {
      if (generation !== this.generation) return this.latestContextChange;
      // The SDK shows ERROR; keep retrying, and announce READY when a fetch for this context succeeds.
      this.reported = 'error';
      if (!(error instanceof SwitchyardUnauthorizedError)) this.scheduleRetry();
      throw toProviderError(error);
    }
  }

  async onClose(): Promise<void> {
    this.closed = true;
    this.inFlight.abort();
    this.stopBackground();
    await this.usage?.flush(false);
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): ResolutionDetails<boolean> {
    return this.resolve(flagKey, defaultValue, 'boolean', context);
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
  ): ResolutionDetails<string> {
    return this.resolve(flagKey, defaultValue, 'string', context);
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
  ): ResolutionDetails<number> {
    return this.resolve(flagKey, defaultValue, 'number', context);
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    return this.resolve(flagKey, defaultValue, 'object', context);
  }

  /**
   * OpenFeature's tracking: `client.track('checkout', { value: 42, flagName: 'new-checkout' })`. A
   * `flagName` attributes the outcome to that flag and, unless `variant` is given, to the variant
   * this user was served; other details travel as metadata. Without a `flagName` the outcome counts
   * for every flag with variants the page evaluated for this user within `usageAttributionWindowMs`,
   * for the variant served (docs/analytics.md, Attribution).
   */
  track(trackingEventName: string, context: EvaluationContext, details: TrackingEventDetails): void {
    if (!this.usage) return;
    const { value, flagName, variant, ...rest } = details ?? {};
    const event = {
      name: trackingEventName,
      userId: context.targetingKey,
      value: typeof value === 'number' ? value : undefined,
      metadata: rest as Record<string, JsonValue>,
    };
    if (typeof flagName === 'string') {
      this.usage.track({
        ...event,
        flagName,
        variant: typeof variant === 'string' ? variant : this.values[flagName]?.variant,
      });
      return;
    }
    const attributed = context.targetingKey === undefined ? [] : this.served.attribution(context.targetingKey);
    if (attributed.length === 0) this.usage.track(event);
    for (const served of attributed) this.usage.track({ ...event, ...served });
  }

  private resolve<T extends FlagValue>(
    flagKey: string,
    defaultValue: T,
    type: ValueType,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    const answer = this.values[flagKey];
    if (!answer)
      return this.fail(
        flagKey,
        new FlagNotFoundError(`flag '${flagKey}' is not in the relay's answer for this context`),
      );
    if (answer.errorCode)
      return this.fail(flagKey, instantiateErrorByErrorCode(answer.errorCode as ErrorCode, answer.errorDetails));
    if (answer.value !== undefined && typeOf(answer.value) !== type) {
      return this.fail(flagKey, new TypeMismatchError(`flag '${flagKey}' is a ${typeOf(answer.value)}, not a ${type}`));
    }
    this.usage?.countEvaluation(
      flagKey,
      answer.variant,
      answer.enabled ?? answer.value !== undefined,
      context.targetingKey,
    );
    // Outcomes naming no flag are attributed to the flag's own variants only (docs/analytics.md).
    const ownVariant = answer.reservedVariant === true ? undefined : answer.variant;
    if (this.usage && ownVariant !== undefined && context.targetingKey !== undefined)
      this.served.served(context.targetingKey, flagKey, ownVariant);
    // No value: the relay has nothing to serve this user (say, a disabled flag without an off variant).
    const value = answer.value === undefined ? defaultValue : (answer.value as T);
    return { value, variant: answer.variant, reason: answer.reason };
  }

  private fail(flagKey: string, error: Error & { code: ErrorCode }): never {
    this.usage?.countError(flagKey, error.code as EvaluationErrorCount['errorCode']);
    throw error;
  }

  /** Re-fetches for the current context; overlapping calls collapse into one follow-up fetch. */
  private refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = this.refreshOnce().finally(() => {
      this.refreshing = undefined;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        void this.refresh();
      }
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    if (this.closed || this.fatal || Date.now() < this.notBeforeMs) return;
    const generation = this.generation;
    try {
      const answer = await this.transport.fetchValues(this.context, this.etag, this.inFlight.signal);
      if (this.closed || generation !== this.generation) return;
      const before = this.loaded ? this.values : undefined;
      this.apply(answer);
      this.retryBackoff.reset();
      this.grace.clear();
      if (this.reported !== 'nothing') {
        this.reported = 'nothing';
        this.events.emit(ClientProviderEvents.Ready, { message: 'reconnected to the relay' });
      }
      if (!answer.changed) return;
      // Unknown (nothing loaded before): no flagsChanged, so every flag re-renders; an empty list would re-render none.
      if (before === undefined) {
        this.events.emit(ClientProviderEvents.ConfigurationChanged, {});
        return;
      }
      const flagsChanged = changedFlagKeys(before, answer.values);
      if (flagsChanged.length > 0) this.events.emit(ClientProviderEvents.ConfigurationChanged, { flagsChanged });
    } catch (error) {
      if (this.closed) return;
      if (error instanceof SwitchyardUnauthorizedError) return this.markFatal(error.message);
      if (error instanceof SwitchyardHttpError && error.retryAfterMs !== undefined)
        this.notBeforeMs = Date.now() + error.retryAfterMs;
      this.connectionLost(`re-fetching values failed: ${String(error)}`);
      this.scheduleRetry();
    }
  }

  /** Retries a failed fetch with the backoff's delays (and not before the relay's Retry-After). */
  private scheduleRetry(): void {
    if (this.closed || this.fatal || this.retryTimer !== undefined) return;
    const delay = Math.max(this.retryBackoff.next(), this.notBeforeMs - Date.now());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.refresh();
    }, delay);
  }

  private stopBackground(): void {
    this.changes.stop();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.grace.clear();
  }

  private apply(answer: ValuesAnswer): void {
    if (!answer.changed) return;
    this.loaded = true;
    this.values = answer.values;
    this.etag = answer.etag;
  }

  /** The relay is away: the grace clocks run from the first failure until values arrive again. */
  private connectionLost(message: string): void {
    if (this.closed || this.fatal) return;
    this.lastFailure = message;
    this.grace.start();
  }

  private announce(event: ClientProviderEvents.Stale | ClientProviderEvents.Error, message: string): void {
    if (this.closed || this.fatal || this.reported === 'error') return;
    if (event === ClientProviderEvents.Stale) {
      if (this.reported === 'nothing') this.events.emit(event, { message });
      this.reported = 'stale';
      return;
    }
    this.reported = 'error';
    this.events.emit(event, { message, errorCode: ErrorCode.GENERAL });
  }

  private markFatal(message: string): void {
    if (this.closed || this.fatal) return;
    this.fatal = true;
    this.stopBackground();
    this.events.emit(ClientProviderEvents.Error, { message, errorCode: ErrorCode.PROVIDER_FATAL });
  }
}

function typeOf(value: JsonValue): ValueType {
  const type = typeof value;
  return type === 'boolean' || type === 'string' || type === 'number' ? type : 'object';
}

/** A transport error as the OpenFeature error of its code (unauthorized: PROVIDER_FATAL), so the SDK sets the status. */
function toProviderError(error: unknown): unknown {
  return error instanceof SwitchyardTransportError
    ? instantiateErrorByErrorCode(error.openFeatureErrorCode as ErrorCode, error.message)
    : error;
}
