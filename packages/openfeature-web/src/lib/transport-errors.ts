/**
 * Errors of the transport between the web provider and the relay. The provider maps them to
 * OpenFeature outcomes: unauthorized is fatal, too-many-requests waits, the rest are transient.
 */
export class SwitchyardTransportError extends Error {
  readonly code: string = 'TRANSPORT';
  constructor(
    message: string,
    /** HTTP status, when the relay answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 401/403 from the relay or websocket close code 4401/4403: retrying with this key cannot succeed. */
export class SwitchyardUnauthorizedError extends SwitchyardTransportError {
  override readonly code = 'UNAUTHORIZED';
}

/** 429 from the relay; `retryAfterMs` says how long to wait. */
export class SwitchyardTooManyRequestsError extends SwitchyardTransportError {
  override readonly code = 'TOO_MANY_REQUESTS';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message, 429);
  }
}

/** Reads `Retry-After` as seconds or an HTTP date; falls back to `fallbackMs` when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number, fallbackMs: number): number {
  if (!header) return fallbackMs;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? fallbackMs : Math.max(0, date - nowMs);
}
