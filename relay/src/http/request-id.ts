import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming `X-Request-Id` may be: a proxy's or caller's token, short and safe to log as is. */
const SANE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * Gives every request an id: the caller's `X-Request-Id` when it is sane, else a new UUID. It is
 * answered as `X-Request-Id`, written in the request's log lines and in every problem body, so a
 * caller's report can be found in the log.
 */
export function assignRequestId(req: Request, res: Response): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
