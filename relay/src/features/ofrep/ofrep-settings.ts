import { readPositiveIntegers } from '../../config/positive-integers.js';

/** The OFREP endpoints' settings; each is documented in docs/web.md and docs/configuration.md. */
export interface OfrepSettings {
  /**
   * Origins whose pages may call OFREP and `/api/v1/usage` (CORS), e.g. `https://app.example.com`;
   * `*` allows any origin. Keys travel in headers, never cookies, so no credentials are allowed.
   */
  corsAllowedOrigins: string[];
  /** OFREP requests per minute one key may make from one client address before 429 answers. */
  rateLimitPerMinute: number;
  /** Reconnect delay the event stream suggests to EventSource clients (SSE `retry:`), in ms. */
  eventStreamRetryMs: number;
  /** Seconds a hidden page keeps its event stream open (OFREP `inactivityDelaySec`). */
  eventStreamInactivityDelaySec: number;
  /** Largest OFREP request body (one evaluation context), in bytes; larger ones get 413. */
  maxBodyBytes: number;
  /** Stream tokens in the event-stream URLs advertised to server keys last one to two of these periods, in seconds. */
  streamTokenTtlSeconds: number;
}

export const DEFAULT_OFREP_SETTINGS: OfrepSettings = {
  corsAllowedOrigins: ['*'],
  // A page fetches once per load, context change and flag change: 600 a minute is far above that.
  rateLimitPerMinute: 600,
  eventStreamRetryMs: 5000,
  eventStreamInactivityDelaySec: 120,
  maxBodyBytes: 64 * 1024,
  // Long enough for a client to connect after its bulk fetch; each bulk answer brings a fresh one.
  streamTokenTtlSeconds: 900,
};

export const OFREP_ENVIRONMENT_VARIABLES = {
  corsAllowedOrigins: 'SWITCHYARD_CORS_ALLOWED_ORIGINS',
  rateLimitPerMinute: 'SWITCHYARD_OFREP_RATE_LIMIT_PER_MINUTE',
  eventStreamRetryMs: 'SWITCHYARD_OFREP_EVENT_STREAM_RETRY_MS',
  eventStreamInactivityDelaySec: 'SWITCHYARD_OFREP_INACTIVITY_DELAY_SECONDS',
  maxBodyBytes: 'SWITCHYARD_OFREP_MAX_BODY_BYTES',
  streamTokenTtlSeconds: 'SWITCHYARD_OFREP_STREAM_TOKEN_TTL_SECONDS',
} as const satisfies Record<keyof OfrepSettings, string>;

/** Reads the settings from environment variables (origins comma-separated; positive integers), defaults for the rest. */
export function ofrepSettingsFromEnvironment(environment: NodeJS.ProcessEnv): OfrepSettings {
  const { corsAllowedOrigins: originsVariable, ...numberVariables } = OFREP_ENVIRONMENT_VARIABLES;
  const { corsAllowedOrigins: defaultOrigins, ...numberDefaults } = DEFAULT_OFREP_SETTINGS;
  return {
    corsAllowedOrigins: readOrigins(environment[originsVariable], originsVariable) ?? defaultOrigins,
    ...readPositiveIntegers(environment, numberVariables, numberDefaults),
  };
}

function readOrigins(text: string | undefined, variable: string): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const origins = text
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin)) {
      throw new Error(`${variable} lists origins like https://app.example.com (no path) or *, not "${origin}"`);
    }
  }
  return origins;
}
