import {
  DefaultLogger,
  ErrorCode,
  GeneralError,
  ProviderFatalError,
  ProviderNotReadyError,
  TypeMismatchError,
  type EvaluationContext,
  type JsonValue,
  type Logger,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/core';
import { OpenFeatureEventEmitter, ProviderEvents, type Provider } from '@openfeature/server-sdk';
import { evaluateFlag, isFlagVariant, valueMatchesType } from '@switchyard/core';
import type { EvaluationContext as CoreEvaluationContext, EvaluationResult, FlagValueType } from '@switchyard/core';
import { DisconnectGrace, PROVIDER_NAME, type ChangesMessage, type SnapshotMessage } from '@switchyard/protocol';
import { loadBootstrap, type BootstrapSnapshot } from './bootstrap.js';
import { FlagSet } from './flag-set.js';
import {
  resolveProviderOptions,
  type ResolvedProviderOptions,
  type SwitchyardProviderOptions,
} from './provider-options.js';
import { RelayConnection, rejectionMessage } from './relay-connection.js';
import { toOpenFeatureError, toResolutionDetails, typeMismatchMessage } from './resolution.js';
import { RelayTransport } from './transport/relay-transport.js';
import type { StreamClosure, SwitchyardTransport } from './transport/switchyard-transport.js';
import { UsageTracker } from './usage/usage-tracker.js';

type ConnectionState = 'idle' | 'initializing' | 'ready' | 'stale' | 'error' | 'fatal' | 'closed';

interface PendingInitialization {
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * OpenFeature server provider for Switchyard. Holds its environment's flags in memory, kept current
 * by the relay's stream, and evaluates every flag locally through `@switchyard/core`.
 */
export class SwitchyardProvider implements Provider {
  readonly metadata = { name: PROVIDER_NAME } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();

  private readonly options: ResolvedProviderOptions;
  private readonly flags = new FlagSet();
  private readonly connection: RelayConnection;
  private readonly usage: UsageTracker | undefined;
  private readonly logger: Logger;
  private state: ConnectionState = 'idle';
  private initialization: Promise<void> | undefined;
  private pending: PendingInitialization | undefined;
  private lastFailure: string | undefined;
  private readonly grace: DisconnectGrace;

  /** @param transport how to reach the relay; tests pass a fake. Default: websocket + fetch. */
  constructor(options: SwitchyardProviderOptions, transport?: SwitchyardTransport) {
    this.options = resolveProviderOptions(options);
    this.logger = this.options.logger ?? new DefaultLogger();
    const relay = transport ?? new RelayTransport(this.options);
    this.connection = new RelayConnection(
      relay,
      {
        onSnapshot: (message) => this.applySnapshot(message),
        onChanges: (message) => this.applyChanges(message),
        onDisconnected: (closure) => this.disconnected(closure),
        onRejected: (closure) => this.rejected(closure),
      },
      this.options,
    );
    this.usage = this.options.enableAnalytics
      ? new UsageTracker(
          this.options.usage,
          (batch) => relay.sendUsage(batch),
          () => this.flags.environment,
          () => this.logger,
        )
      : undefined;
    this.grace = new DisconnectGrace(this.options, {
      stale: () => {
        this.state = 'stale';
        this.events.emit(ProviderEvents.Stale, { message: `relay unreachable: ${this.lastFailure ?? 'unknown'}` });
      },
      error: () => {
        this.state = 'error';
        this.events.emit(ProviderEvents.Error, {
          message: `relay unreachable for ${this.options.errorAfterMs} ms: ${this.lastFailure ?? 'unknown'}; serving the last known configuration`,
          errorCode: ErrorCode.GENERAL,
        });
      },
    });
  }

  /** Connects and resolves once the first configuration arrived (or the bootstrap was loaded). */
  initialize(): Promise<void> {
    if (this.initialization !== undefined) return this.initialization;
    this.state = 'initializing';
    this.usage?.start();
    this.initialization = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => void this.initializationTimedOut(), this.options.initTimeoutMs);
      timer.unref?.();
      this.pending = { resolve, reject, timer };
    });
    this.connection.start();
    return this.initialization;
  }

  /** Closes the stream and ships what usage is still in memory (bounded by `closeTimeoutMs`). */
  async onClose(): Promise<void> {
    this.state = 'closed';
    this.connection.stop();
    this.grace.clear();
    this.settle(new GeneralError('the provider was closed before it was ready'));
    this.initialization = undefined;
    await this.usage?.close(this.options.closeTimeoutMs);
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    return this.resolve(flagKey, 'boolean', defaultValue, context);
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<string>> {
    return this.resolve(flagKey, 'string', defaultValue, context);
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<number>> {
    return this.resolve(flagKey, 'number', defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    return this.resolve(flagKey, 'object', defaultValue, context);
  }

  /**
   * OpenFeature's tracking API: `client.track('conversion', context, { flagName, value, ...metadata })`.
   * With a `flagName` and no `variant`, the outcome is attributed to the variant the flag serves
   * this context now (evaluated locally), so analytics can compare variants. Without a `flagName`
   * it counts for every flag with variants this targeting key was served within
   * `usage.attributionWindowMs`, for the variant it was served (docs/analytics.md, Attribution).
   */
  track(trackingEventName: string, context: EvaluationContext, details: TrackingEventDetails): void {
    if (this.usage === undefined) return;
    this.usage.track(trackingEventName, context, this.withServedVariant(context, details ?? {}));
  }

  /**
   * Every flag's evaluation for one context, by flag name, evaluated locally in one pass (the context
   * is read once for all flags): to render a page or hand a browser its values. Results are frozen
   * and shared; not counted as usage (fetching every value is not using every flag).
   */
  evaluateAll(context: EvaluationContext): Record<string, EvaluationResult> {
    const flags = this.flags.compiledFlags();
    if (flags === undefined) throw new ProviderNotReadyError('Switchyard has no configuration yet');
    const results: Record<string, EvaluationResult> = Object.create(null) as Record<string, EvaluationResult>;
    for (const result of flags.evaluateAll(context as CoreEvaluationContext)) results[result.flagName] = result;
    return results;
  }

  /** The configuration in memory, to save and pass as `bootstrap` later; undefined before the first one. */
  exportSnapshot(): BootstrapSnapshot | undefined {
    const environment = this.flags.environment;
    if (environment === undefined) return undefined;
    const revision = this.connection.lastRevision;
    return { environment, flags: this.flags.all(), ...(revision === undefined ? {} : { revision }) };
  }

  /** The value type of a flag in memory (`undefined` when unknown); lets the seed's API pick a typed call. */
  flagType(flagName: string): FlagValueType | undefined {
    return this.flags.get(flagName)?.type;
  }

  private async resolve<T>(
    flagKey: string,
    type: FlagValueType,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    const environment = this.flags.environment;
    if (environment === undefined) throw new ProviderNotReadyError('Switchyard has no configuration yet');
    const flag = this.flags.get(flagKey);
    if (flag !== undefined && flag.type !== type) {
      this.usage?.error(flagKey, 'TYPE_MISMATCH');
      throw new TypeMismatchError(`flag '${flagKey}' is of type ${flag.type}, evaluated as ${type}`);
    }
    const result = evaluateFlag(flag, flagKey, environment, context as CoreEvaluationContext);
    if (result.errorCode !== undefined) {
      this.usage?.error(flagKey, result.errorCode);
      throw toOpenFeatureError(result.errorCode, result.errorMessage ?? `flag '${flagKey}': ${result.errorCode}`);
    }
    if (result.value !== undefined && !valueMatchesType(result.value, type)) {
      this.usage?.error(flagKey, 'TYPE_MISMATCH');
      throw new TypeMismatchError(typeMismatchMessage(flagKey, type, result.value));
    }
    this.usage?.evaluation(
      flagKey,
      result.variant,
      result.enabled,
      context.targetingKey,
      flag !== undefined && isFlagVariant(flag, result.variant),
    );
    return toResolutionDetails(result, result.value === undefined ? defaultValue : (result.value as T), environment);
  }

  private withServedVariant(context: EvaluationContext, details: TrackingEventDetails): TrackingEventDetails {
    const flagName = details.flagName;
    const environment = this.flags.environment;
    if (typeof flagName !== 'string' || details.variant !== undefined || environment === undefined) return details;
    const flag = this.flags.get(flagName);
    if (flag === undefined) return details;
    const result = evaluateFlag(flag, flagName, environment, context as CoreEvaluationContext);
    return result.errorCode === undefined && result.variant !== undefined
      ? { ...details, variant: result.variant }
      : details;
  }

  private applySnapshot(message: SnapshotMessage): void {
    this.connected(this.flags.replace(message.environment, message.flags));
  }

  private applyChanges(message: ChangesMessage): void {
    this.connected(this.flags.apply(message.changes));
  }

  private connected(changedFlags: string[]): void {
    this.lastFailure = undefined;
    this.grace.clear();
    if (this.pending !== undefined) {
      this.state = 'ready';
      this.settle();
      return;
    }
    if (this.state === 'stale' || this.state === 'error') {
      this.logger.info('Switchyard: reconnected to the relay');
      this.events.emit(ProviderEvents.Ready, { message: 'reconnected to the relay' });
    }
    this.state = 'ready';
    if (changedFlags.length > 0) {
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: changedFlags });
    }
  }

  private disconnected(closure: StreamClosure): void {
    if (this.lastFailure === undefined) this.logger.warn(`Switchyard: lost the relay: ${closure.message}`);
    this.lastFailure = closure.message;
    if (this.pending !== undefined) {
      if (this.options.bootstrap !== undefined) void this.startFromBootstrap();
      return;
    }
    if (this.state === 'ready') this.grace.start();
  }

  private rejected(closure: StreamClosure): void {
    const message = rejectionMessage(closure);
    this.logger.error(`Switchyard: ${message}`);
    this.grace.clear();
    this.state = 'fatal';
    if (this.pending !== undefined) {
      this.settle(new ProviderFatalError(message));
      return;
    }
    this.events.emit(ProviderEvents.Error, { message, errorCode: ErrorCode.PROVIDER_FATAL });
  }

  private async initializationTimedOut(): Promise<void> {
    if (this.pending === undefined) return;
    if (this.options.bootstrap !== undefined) {
      await this.startFromBootstrap();
      return;
    }
    this.state = 'error';
    const cause = this.lastFailure === undefined ? '' : ` (last error: ${this.lastFailure})`;
    this.settle(
      new GeneralError(
        `Switchyard: no configuration from ${this.options.relayUrl} within initTimeoutMs (${this.options.initTimeoutMs} ms)${cause}; still trying`,
      ),
    );
  }

  /** Serves the bootstrap snapshot while the stream keeps trying; the relay's snapshot replaces it. */
  private async startFromBootstrap(): Promise<void> {
    const source = this.options.bootstrap;
    if (source === undefined || this.flags.environment !== undefined) return;
    try {
      const snapshot = await loadBootstrap(source);
      if (this.pending === undefined || this.flags.environment !== undefined) return;
      this.flags.replace(snapshot.environment, snapshot.flags);
      this.logger.warn(
        `Switchyard: relay unreachable, serving the bootstrap snapshot (${snapshot.flags.length} flags)`,
      );
      this.state = 'ready';
      this.settle();
      this.grace.start();
    } catch (error) {
      this.state = 'error';
      this.settle(
        new GeneralError(`Switchyard: relay unreachable (${this.lastFailure ?? 'timeout'}) and ${String(error)}`),
      );
    }
  }

  /** Resolves or rejects a pending `initialize`, once. */
  private settle(error?: Error): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    if (error === undefined) pending.resolve();
    else pending.reject(error);
  }
}
