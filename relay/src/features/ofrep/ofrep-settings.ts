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
}

export const DEFAULT_OFREP_SETTINGS: OfrepSettings = {
  corsAllowedOrigins: ['*'],
  // A page fetches once per load, context change and flag change: 600 a minute is far above that.
  rateLimitPerMinute: 600,
  eventStreamRetryMs: 5000,
  eventStreamInactivityDelaySec: 120,
};
