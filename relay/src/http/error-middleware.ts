import type { ErrorRequestHandler, Request } from 'express';
import {
  FlagExistsError,
  FlagNotFoundError,
  StoreUnavailableError,
  VersionConflictError,
} from '../store/store-errors.js';
import type { Logger } from '../logging/logger.js';
import { HttpError, conflict, invalidInput, notFound, serviceUnavailable } from './http-errors.js';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The body of every error answer (RFC 9457 plus `code` and field-level `errors`). */
interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  /** The request's `X-Request-Id`, also in its log lines; absent outside the relay's app. */
  requestId?: string;
  errors: Array<{ path: string; expected: string; message: string }>;
  [extra: string]: unknown;
}

/**
 * The relay's one error handler: every failure, from any route or middleware, leaves as
 * application/problem+json. Unknown errors answer 500 without their message and are logged.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const httpError = toHttpError(error);
    const requestId = res.locals.requestId as string | undefined;
    if (httpError.status >= 500) {
      logger.error(
        {
          requestId,
          method: req.method,
          path: req.path,
          status: httpError.status,
          error,
        },
        'request failed',
      );
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(httpError.status);
    for (const [name, value] of Object.entries(httpError.headers)) res.setHeader(name, value);
    res.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problemBody(httpError, req, requestId)));
  };
}

function problemBody(error: HttpError, req: Pick<Request, 'originalUrl'>, requestId?: string): ProblemBody {
  const body: ProblemBody = {
    type: `urn:switchyard:problem:${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    code: error.code,
    instance: req.originalUrl.split('?')[0] ?? '',
    errors: error.errors,
    ...error.extra,
  };
  if (requestId !== undefined) body.requestId = requestId;
  return body;
}

/** Stores throw typed errors; everything else is a 500. */
function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof FlagExistsError) {
    return conflict(error.code, `${error.message}: change it with PUT or PATCH`, { flagName: error.flagName });
  }
  if (error instanceof FlagNotFoundError) return notFound(error.code, error.message, { flagName: error.flagName });
  if (error instanceof VersionConflictError) {
    return conflict(error.code, `${error.message}; read it again and retry`, {
      flagName: error.flagName,
      expectedVersion: error.expectedVersion,
      currentVersion: error.actualVersion,
    });
  }
  if (error instanceof StoreUnavailableError)
    return serviceUnavailable(error.code, 'the store is unreachable; retry shortly');
  if (error instanceof URIError) {
    return invalidInput([
      { path: 'params', expected: 'a path with valid percent-encoding', message: 'the path could not be decoded' },
    ]);
  }
  return new HttpError(500, 'INTERNAL', 'Internal server error', 'the relay failed to answer; see its log');
}
