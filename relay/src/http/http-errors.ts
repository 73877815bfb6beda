/** One problem with the request: where (a dotted path into the body or query), what was expected there, and why. */
export interface FieldProblem {
  path: string;
  expected: string;
  message: string;
}

/**
 * An error the relay answers as `application/problem+json` (RFC 9457). `code` is stable and
 * documented in docs/api.md; `extra` members are added to the problem object.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly errors: FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpError';
  }
}

export function invalidInput(errors: FieldProblem[], detail?: string): HttpError {
  const summary = detail ?? errors.map(describeProblem).slice(0, 3).join('; ');
  return new HttpError(400, 'INVALID_INPUT', 'Invalid input', summary || 'the request is invalid', errors);
}

/** `path: message`, unless the message already starts with its path (core's messages do). */
function describeProblem(error: FieldProblem): string {
  const path = error.path || '(body)';
  return error.message.startsWith(`${path}:`) ? error.message : `${path}: ${error.message}`;
}

export function unauthorized(detail: string): HttpError {
  return new HttpError(
    401,
    'UNAUTHORIZED',
    'Unauthorized',
    detail,
    [],
    {},
    { 'www-authenticate': 'Bearer realm="switchyard"' },
  );
}

export function forbidden(detail: string): HttpError {
  return new HttpError(403, 'FORBIDDEN', 'Forbidden', detail);
}

export function notFound(code: string, detail: string, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(404, code, 'Not found', detail, [], extra);
}

export function conflict(code: string, detail: string, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(409, code, 'Conflict', detail, [], extra);
}

export function preconditionRequired(detail: string): HttpError {
  return new HttpError(428, 'VERSION_REQUIRED', 'Precondition required', detail);
}

export function payloadTooLarge(limit: number, setting = 'SWITCHYARD_MAX_BODY_BYTES'): HttpError {
  return new HttpError(
    413,
    'BODY_TOO_LARGE',
    'Payload too large',
    `the request body is larger than ${limit} bytes (${setting})`,
  );
}

export function unsupportedMediaType(detail: string): HttpError {
  return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', detail);
}

export function methodNotAllowed(allowed: string[]): HttpError {
  return new HttpError(
    405,
    'METHOD_NOT_ALLOWED',
    'Method not allowed',
    `this path answers ${allowed.join(', ')}`,
    [],
    {},
    {
      allow: allowed.join(', '),
    },
  );
}

export function serviceUnavailable(code: string, detail: string): HttpError {
  return new HttpError(503, code, 'Service unavailable', detail, [], {}, { 'retry-after': '1' });
}

export function tooManyRequests(detail: string, retryAfterSeconds: number): HttpError {
  return new HttpError(
    429,
    'RATE_LIMITED',
    'Too many requests',
    detail,
    [],
    {},
    { 'retry-after': String(retryAfterSeconds) },
  );
}
