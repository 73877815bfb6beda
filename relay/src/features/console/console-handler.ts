import type { Request, RequestHandler, Response } from 'express';
import type { ConsoleFile, ConsoleFiles } from './console-files.js';

/**
 * What the browser may do with the console's pages: scripts, styles and connections (REST, the
 * websocket stream) only from the relay itself, no inline scripts, never inside a frame.
 */
const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself and unhashed files: revalidated every time (cheap: 304 on the ETag), so a new build shows at once. */
const REVALIDATE = 'no-cache';

/**
 * Serves the console's built files for GET and HEAD requests no route answered: `/` is its
 * `index.html`, anything else a file by its path. The console routes its screens in the URL's hash
 * (`/#/flags/checkout`), so no console path can shadow a relay route; what is not a file (other
 * methods, `/api/...`, `/assets/gone.js`) goes on to the relay's 404/405 problem answer.
 */
export function consoleHandler(site: ConsoleFiles): RequestHandler {
  return (req, res, next) => {
    const file =
      req.method === 'GET' || req.method === 'HEAD'
        ? site.files.get(req.path === '/' ? '/index.html' : req.path)
        : undefined;
    if (file === undefined) {
      next();
      return;
    }
    res.locals.routeLabel = 'console';
    sendFile(req, res, file);
  };
}

function sendFile(req: Request, res: Response, file: ConsoleFile): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  res.setHeader('Cache-Control', file.immutable ? IMMUTABLE : REVALIDATE);
  res.setHeader('ETag', file.etag);
  res.setHeader('Content-Type', file.contentType);
  if (file.gzipped !== undefined) res.setHeader('Vary', 'Accept-Encoding');
  if (matchesEtag(req.headers['if-none-match'], file.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const gzip = file.gzipped !== undefined && acceptsGzip(req.headers['accept-encoding']);
  const body = gzip ? file.gzipped! : file.body;
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', body.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/** gzip listed without `q=0`. */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding, ...parameters] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== 'gzip' && coding?.trim() !== '*') return false;
    return !parameters.some((parameter) => /^\s*q=0(\.0*)?\s*$/.test(parameter));
  });
}
