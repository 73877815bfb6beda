/** A request to the relay failed. `retriable` says whether sending the same request later may work. */
export class SwitchyardTransportError extends Error {
  readonly code: string = 'SWITCHYARD_TRANSPORT_ERROR';
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SwitchyardTransportError';
  }
}

/** The relay answered with an HTTP error status. */
export class SwitchyardHttpError extends SwitchyardTransportError {
  override readonly code: string = 'SWITCHYARD_HTTP_ERROR';
  constructor(
    readonly status: number,
    message: string,
    /** From `Retry-After`, when the relay sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message, status >= 500 || status === 408 || status === 429);
    this.name = 'SwitchyardHttpError';
  }
}

/** The relay rejected the key (401: unknown or revoked, 403: a role that may not do this). */
export class SwitchyardUnauthorizedError extends SwitchyardHttpError {
  override readonly code: string = 'SWITCHYARD_UNAUTHORIZED';
  constructor(status: number, message: string) {
    super(status, message);
    this.name = 'SwitchyardUnauthorizedError';
  }
}

/** Builds the right error for an HTTP status. */
export function httpErrorFor(status: number, message: string, retryAfterMs?: number): SwitchyardHttpError {
  return status === 401 || status === 403
    ? new SwitchyardUnauthorizedError(status, message)
    : new SwitchyardHttpError(status, message, retryAfterMs);
}
