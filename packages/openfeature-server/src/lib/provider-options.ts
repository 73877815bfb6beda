import type { Logger } from '@openfeature/server-sdk';
import type { BackoffOptions } from '@switchyard/protocol';
import type { BootstrapSource } from './bootstrap.js';

/** What the provider ships to `POST /api/v1/usage`, and the bounds on what it keeps in memory. */
export interface UsageOptions {
  /** Ship a batch at least this often. */
  flushIntervalMs: number;
  /** Ship as soon as this many tracked events are waiting, without waiting for the interval. */
  flushAtEvents: number;
  /**
   * Tracked events kept in memory while they wait to be shipped; more are dropped and counted.
   * (A batch's entries are bounded by `maxBatchEntries`, whatever this is.)
   */
  maxBufferedEvents: number;
  /** Distinct (flag, variant, enabled) and (flag, error code) counters per batch; more are dropped and counted. */
  maxCounters: number;
  /**
   * Distinct user ids sent exactly per evaluation counter and batch, for unique-user analytics (relay:
   * SWITCHYARD_USAGE_MAX_USER_IDS_PER_ENTRY). Past it the counter's users are sent as a HyperLogLog
   * sketch of all of them (4 KiB), never cut: the relay then reports them as estimates.
   */
  maxUserIdsPerCounter: number;
  /** Largest `metadata` of one tracked event, as JSON; bigger metadata is left out (relay: SWITCHYARD_USAGE_MAX_METADATA_BYTES). */
  maxEventMetadataBytes: number;
  /**
   * Largest usage request body, in UTF-8 bytes of JSON; what was recorded beyond it goes in further
   * batches. Keep it below the relay's SWITCHYARD_USAGE_MAX_BODY_BYTES (default 1 MiB).
   */
  maxBatchBytes: number;
  /** Most entries (evaluation counts, error counts, events) in one batch (relay: SWITCHYARD_USAGE_MAX_ENTRIES_PER_BATCH). */
  maxBatchEntries: number;
  /** Most evaluation counts carrying a user sketch in one batch (relay: SWITCHYARD_USAGE_MAX_SKETCHES_PER_BATCH). */
  maxBatchSketches: number;
  /** Batches waiting to be (re)sent; when full the oldest is dropped and counted. */
  maxPendingBatches: number;
  /**
   * How long after a user (targeting key) was served a flag's variant a `track()` that names no flag
   * still counts as an outcome of that flag, for that variant. Default 24 h.
   */
  attributionWindowMs: number;
  /**
   * Users whose served variants are remembered for that attribution; past it the user served longest
   * ago is forgotten first (memory: about 340 bytes per user plus 80 per flag with variants served; 17 MB at the default). Default 50,000.
   */
  maxAttributedUsers: number;
  /** Attempts per batch before it is dropped and counted. */
  maxSendAttempts: number;
  /** Delay between attempts to send one batch. */
  retryBackoff: BackoffOptions;
}

export interface SwitchyardProviderOptions {
  /** Base URL of the relay, e.g. `https://flags.example.com`. */
  relayUrl: string;
  /** A `server` API key; it decides the environment. */
  sdkKey: string;
  /** Bound on `initialize`: without a configuration by then it fails (or uses `bootstrap`). Default 10 s. */
  initTimeoutMs?: number;
  /** A local snapshot (object or JSON file path) served when the relay cannot be reached at start. */
  bootstrap?: BootstrapSource;
  /** Without the relay for this long, the provider reports STALE (evaluations go on). Default 5 s. */
  staleAfterMs?: number;
  /** Without the relay for this long, the provider reports ERROR (evaluations still go on). Default 60 s. */
  errorAfterMs?: number;
  /** Delay between reconnection attempts. Default 500 ms doubling to 30 s. */
  reconnectBackoff?: Partial<BackoffOptions>;
  /** A connection attempt that has not delivered the configuration by then is abandoned and retried. Default 10 s. */
  connectTimeoutMs?: number;
  /** Timeout of each HTTP request (usage batches). Default 10 s. */
  requestTimeoutMs?: number;
  /** `onClose` waits at most this long for the last usage batches. Default 5 s. */
  closeTimeoutMs?: number;
  /** Count evaluations and ship tracked events to the relay (the seed's `enable_analytics`). Default true. */
  enableAnalytics?: boolean;
  usage?: Partial<Omit<UsageOptions, 'retryBackoff'>> & { retryBackoff?: Partial<BackoffOptions> };
  /** Where the provider reports connection problems. Default: OpenFeature's `DefaultLogger` (errors and warnings to the console). */
  logger?: Logger;
}

export interface ResolvedProviderOptions {
  relayUrl: string;
  sdkKey: string;
  initTimeoutMs: number;
  bootstrap: BootstrapSource | undefined;
  staleAfterMs: number;
  errorAfterMs: number;
  reconnectBackoff: BackoffOptions;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  closeTimeoutMs: number;
  enableAnalytics: boolean;
  usage: UsageOptions;
  logger: Logger | undefined;
}

export const DEFAULT_PROVIDER_OPTIONS = {
  initTimeoutMs: 10_000,
  staleAfterMs: 5_000,
  errorAfterMs: 60_000,
  reconnectBackoff: { initialDelayMs: 500, maxDelayMs: 30_000 },
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  closeTimeoutMs: 5_000,
  enableAnalytics: true,
  usage: {
    flushIntervalMs: 5_000,
    flushAtEvents: 500,
    maxBufferedEvents: 5_000,
    maxCounters: 5_000,
    maxUserIdsPerCounter: 1_000,
    maxEventMetadataBytes: 4_096,
    maxBatchBytes: 512 * 1024,
    maxBatchEntries: 10_000,
    maxBatchSketches: 100,
    maxPendingBatches: 20,
    attributionWindowMs: 24 * 60 * 60 * 1000,
    maxAttributedUsers: 50_000,
    maxSendAttempts: 5,
    retryBackoff: { initialDelayMs: 1_000, maxDelayMs: 30_000 },
  },
} as const satisfies Omit<ResolvedProviderOptions, 'relayUrl' | 'sdkKey' | 'bootstrap' | 'logger'>;

/** Thrown by the constructor for options that can never work; the message names the option. */
export class InvalidProviderOptionsError extends Error {
  readonly code = 'INVALID_PROVIDER_OPTIONS';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`SwitchyardProvider option '${option}': ${message}`);
    this.name = 'InvalidProviderOptionsError';
  }
}

export function resolveProviderOptions(options: SwitchyardProviderOptions): ResolvedProviderOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidProviderOptionsError('options', 'expected an object with relayUrl and sdkKey');
  }
  const defaults = DEFAULT_PROVIDER_OPTIONS;
  const resolved: ResolvedProviderOptions = {
    relayUrl: checkRelayUrl(options.relayUrl),
    sdkKey: checkNonEmpty('sdkKey', options.sdkKey),
    initTimeoutMs: options.initTimeoutMs ?? defaults.initTimeoutMs,
    bootstrap: options.bootstrap,
    staleAfterMs: options.staleAfterMs ?? defaults.staleAfterMs,
    errorAfterMs: options.errorAfterMs ?? defaults.errorAfterMs,
    reconnectBackoff: { ...defaults.reconnectBackoff, ...options.reconnectBackoff },
    connectTimeoutMs: options.connectTimeoutMs ?? defaults.connectTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? defaults.requestTimeoutMs,
    closeTimeoutMs: options.closeTimeoutMs ?? defaults.closeTimeoutMs,
    enableAnalytics: options.enableAnalytics ?? defaults.enableAnalytics,
    usage: {
      ...defaults.usage,
      ...options.usage,
      retryBackoff: { ...defaults.usage.retryBackoff, ...options.usage?.retryBackoff },
    },
    logger: options.logger,
  };
  checkLimits(resolved);
  return resolved;
}

function checkLimits(options: ResolvedProviderOptions): void {
  const limits: Array<[string, number]> = [
    ['initTimeoutMs', options.initTimeoutMs],
    ['staleAfterMs', options.staleAfterMs],
    ['errorAfterMs', options.errorAfterMs],
    ['reconnectBackoff.initialDelayMs', options.reconnectBackoff.initialDelayMs],
    ['reconnectBackoff.maxDelayMs', options.reconnectBackoff.maxDelayMs],
    ['connectTimeoutMs', options.connectTimeoutMs],
    ['requestTimeoutMs', options.requestTimeoutMs],
    ['closeTimeoutMs', options.closeTimeoutMs],
    ['usage.flushIntervalMs', options.usage.flushIntervalMs],
    ['usage.flushAtEvents', options.usage.flushAtEvents],
    ['usage.maxBufferedEvents', options.usage.maxBufferedEvents],
    ['usage.maxCounters', options.usage.maxCounters],
    ['usage.maxUserIdsPerCounter', options.usage.maxUserIdsPerCounter],
    ['usage.maxEventMetadataBytes', options.usage.maxEventMetadataBytes],
    ['usage.maxBatchBytes', options.usage.maxBatchBytes],
    ['usage.maxBatchEntries', options.usage.maxBatchEntries],
    ['usage.maxBatchSketches', options.usage.maxBatchSketches],
    ['usage.maxPendingBatches', options.usage.maxPendingBatches],
    ['usage.attributionWindowMs', options.usage.attributionWindowMs],
    ['usage.maxAttributedUsers', options.usage.maxAttributedUsers],
    ['usage.maxSendAttempts', options.usage.maxSendAttempts],
    ['usage.retryBackoff.initialDelayMs', options.usage.retryBackoff.initialDelayMs],
    ['usage.retryBackoff.maxDelayMs', options.usage.retryBackoff.maxDelayMs],
  ];
  for (const [name, value] of limits) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidProviderOptionsError(name, `expected a non-negative number, got ${String(value)}`);
    }
  }
  if (options.errorAfterMs < options.staleAfterMs) {
    throw new InvalidProviderOptionsError('errorAfterMs', 'must not be shorter than staleAfterMs');
  }
}

function checkRelayUrl(relayUrl: unknown): string {
  const value = checkNonEmpty('relayUrl', relayUrl);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidProviderOptionsError('relayUrl', `not a URL: ${value}`);
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new InvalidProviderOptionsError('relayUrl', `expected http(s) or ws(s), got ${url.protocol}`);
  }
  return value.replace(/\/+$/, '');
}

function checkNonEmpty(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidProviderOptionsError(option, 'required (a non-empty string)');
  }
  return value;
}
