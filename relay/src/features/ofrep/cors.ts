import cors from 'cors';
import type { RequestHandler } from 'express';

/** Request headers a page may send: the two OFREP key schemes, JSON bodies and conditional bulk requests. */
const ALLOWED_HEADERS = 'Authorization, X-API-Key, Content-Type, If-None-Match';
/** Response headers a page may read: the bulk ETag and the rate limit's wait. */
const EXPOSED_HEADERS = 'ETag, Retry-After';
/** How long a browser may reuse a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS (the `cors` package) for endpoints browsers call: OFREP and usage ingest. Only listed origins
 * (or any, with `*`) get `Access-Control-Allow-Origin`; keys travel in headers, so credentials
 * (cookies) are never allowed. Preflights are answered 204 here and never reach the routes.
 */
export function createCors(allowedOrigins: readonly string[]): RequestHandler {
  return cors({
    origin: allowedOrigins.includes('*') ? '*' : [...allowedOrigins],
    methods: 'GET, POST, OPTIONS',
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    credentials: false,
    optionsSuccessStatus: 204,
  });
}
