import type { BackoffOptions } from '@switchyard/protocol';

/** Settings of `SwitchyardWebProvider`; every limit has a default and is documented in docs/web.md. */
export interface SwitchyardWebProviderOptions {
  /** Base URL of the relay, e.g. `https://flags.example.com`. */
  relayUrl: string;
  /** A `client` key: one environment, evaluation only; safe to ship in a page. */
  clientKey: string;
  /** Interval of re-fetches when no websocket is available (default 300000: the seed's cache TTL). */
  pollIntervalMs?: number;
  /** Open the websocket for live changes (default true; without `WebSocket` the provider polls). */
  stream?: boolean;
  /** Shortest delay before reconnecting the websocket or retrying a failed fetch (default 1000; grows with jitter). */
  reconnectMinDelayMs?: number;
  /** Longest such delay (default 30000). */
  reconnectMaxDelayMs?: number;
  /** Without the relay for this long, the provider reports STALE (evaluations go on). Default 0: at once. */
  staleAfterMs?: number;
  /** Without the relay for this long, the provider reports ERROR (evaluations still go on). Default 60000. */
  errorAfterMs?: number;
  /** Send evaluation counts and `track()` events to the relay (default true). */
  usage?: boolean;
  /** How often buffered usage is sent (default 30000). */
  usageFlushIntervalMs?: number;
  /** Tracked events kept before the oldest are dropped and counted as dropped (default 500). */
  usageMaxEvents?: number;
  /**
   * Largest usage request body in bytes (default 61440); a bigger batch goes in several requests.
   * Below the relay's SWITCHYARD_USAGE_MAX_BODY_BYTES (1 MiB) and below the 64 KiB that browsers
   * allow a `keepalive` request (the send when the page hides).
   */
  usageMaxBatchBytes?: number;
  /** Most entries (counts, errors, events) in one usage request (default 10000: the relay's SWITCHYARD_USAGE_MAX_ENTRIES_PER_BATCH). */
  usageMaxBatchEntries?: number;
  /**
   * Distinct user ids sent exactly per evaluation count and batch (default 100; a page rarely has
   * more than one user). Past it the count's users go as a HyperLogLog sketch of all of them, never
   * cut; the relay then reports them as estimates.
   */
  usageMaxUserIdsPerEntry?: number;
  /** Most evaluation counts carrying a user sketch in one usage request (default 100: the relay's SWITCHYARD_USAGE_MAX_SKETCHES_PER_BATCH). */
  usageMaxBatchSketches?: number;
  /**
   * How long after this page's user was served a flag's variant a `track()` that names no flag
   * still counts as an outcome of that flag (default 86400000: 24 h).
   */
  usageAttributionWindowMs?: number;
  /** How long one request may take (default 10000). */
  requestTimeoutMs?: number;
}

export type ResolvedWebProviderOptions = Required<SwitchyardWebProviderOptions>;

export function resolveOptions(options: SwitchyardWebProviderOptions): ResolvedWebProviderOptions {
  if (!options.relayUrl) throw new TypeError('SwitchyardWebProvider: relayUrl is required');
  if (!options.clientKey) throw new TypeError('SwitchyardWebProvider: clientKey is required');
  const resolved: ResolvedWebProviderOptions = {
    pollIntervalMs: 300_000,
    stream: true,
    reconnectMinDelayMs: 1000,
    reconnectMaxDelayMs: 30_000,
    staleAfterMs: 0,
    errorAfterMs: 60_000,
    usage: true,
    usageFlushIntervalMs: 30_000,
    usageMaxEvents: 500,
    usageMaxBatchBytes: 61_440,
    usageMaxBatchEntries: 10_000,
    usageMaxUserIdsPerEntry: 100,
    usageMaxBatchSketches: 100,
    usageAttributionWindowMs: 86_400_000,
    requestTimeoutMs: 10_000,
    ...stripUndefined(options),
    relayUrl: options.relayUrl.replace(/\/+$/, ''),
  };
  if (resolved.errorAfterMs < resolved.staleAfterMs)
    throw new TypeError('SwitchyardWebProvider: errorAfterMs must not be shorter than staleAfterMs');
  return resolved;
}

/** The delays between reconnects and between retries of a failed fetch. */
export function reconnectBackoff(options: ResolvedWebProviderOptions): BackoffOptions {
  return { initialDelayMs: options.reconnectMinDelayMs, maxDelayMs: options.reconnectMaxDelayMs };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
