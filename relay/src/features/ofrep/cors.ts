import type { RequestHandler } from 'express';

/** Request headers a page may send: the two OFREP key schemes, JSON bodies and conditional bulk requests. */
const ALLOWED_HEADERS = 'Authorization, X-API-Key, Content-Type, If-None-Match';
/** Response headers a page may read: the bulk ETag and the rate limit's wait. */
const EXPOSED_HEADERS = 'ETag, Retry-After';
/** How long a browser may reuse a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for endpoints browsers call: OFREP and usage ingest. Only listed origins (or any, with `*`)
 * get the CORS headers; keys travel in headers, so credentials (cookies) are never allowed.
 */
export function createCors(allowedOrigins: readonly string[]): RequestHandler {
  const any = allowedOrigins.includes('*');
  const listed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (origin === undefined || !(any || listed.has(origin))) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      res.status(204).end();
      return;
    }
    next();
  };
}
