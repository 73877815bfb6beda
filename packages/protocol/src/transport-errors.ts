/**
 * The OpenFeature error code a transport failure maps to: the provider throws (or emits) the
 * OpenFeature error of this code. The strings are the values of OpenFeature's `ErrorCode`.
 */
export type TransportFailureErrorCode = 'PROVIDER_FATAL' | 'GENERAL';

/** Every `code` of the transport-error family, stable across releases and the same in both providers. */
export type TransportErrorCode =
  'SWITCHYARD_TRANSPORT_ERROR' | 'SWITCHYARD_HTTP_ERROR' | 'SWITCHYARD_UNAUTHORIZED' | 'SWITCHYARD_TOO_MANY_REQUESTS';

/**
 * A request from a provider to the relay failed. Thrown as is, this class means no answer came
 * (network down, timeout, aborted); the subclasses are the relay's answers. `retriable` says
 * whether sending the same request later may work.
 */
export class SwitchyardTransportError extends Error {
  readonly code: TransportErrorCode = 'SWITCHYARD_TRANSPORT_ERROR';
  readonly openFeatureErrorCode: TransportFailureErrorCode = 'GENERAL';

  constructor(
    message: string,
    readonly retriable = true,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    // Set by hand: a minified bundle renames classes.
    this.name = 'SwitchyardTransportError';
  }
}

/**
 * The relay answered with an HTTP error status; retriable for 408, 429 and 5xx. `retryAfterMs` is
 * its `Retry-After` (429, 503), when it sent a readable one.
 */
export class SwitchyardHttpError extends SwitchyardTransportError {
  override readonly code: TransportErrorCode = 'SWITCHYARD_HTTP_ERROR';

  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message, status >= 500 || status === 408 || status === 429);
    this.name = 'SwitchyardHttpError';
  }
}

/**
 * The relay rejected the key (401: unknown or revoked, 403: a role that may not do this; on the
 * stream, close code 4401/4403). Retrying with this key cannot succeed: PROVIDER_FATAL.
 */
export class SwitchyardUnauthorizedError extends SwitchyardHttpError {
  override readonly code: TransportErrorCode = 'SWITCHYARD_UNAUTHORIZED';
  override readonly openFeatureErrorCode: TransportFailureErrorCode = 'PROVIDER_FATAL';

  constructor(status: number, message: string) {
    super(status, message);
    this.name = 'SwitchyardUnauthorizedError';
  }
}

/** The relay answered 429: too many requests for this key or address; wait `retryAfterMs` when set. */
export class SwitchyardTooManyRequestsError extends SwitchyardHttpError {
  override readonly code: TransportErrorCode = 'SWITCHYARD_TOO_MANY_REQUESTS';

  constructor(message: string, retryAfterMs?: number) {
    super(429, message, retryAfterMs);
    this.name = 'SwitchyardTooManyRequestsError';
  }
}

/** The error of the family for an HTTP error status (`retryAfterMs`: from `parseRetryAfter`). */
export function transportErrorForStatus(status: number, message: string, retryAfterMs?: number): SwitchyardHttpError {
  if (status === 401 || status === 403) return new SwitchyardUnauthorizedError(status, message);
  if (status === 429) return new SwitchyardTooManyRequestsError(message, retryAfterMs);
  return new SwitchyardHttpError(status, message, retryAfterMs);
}
