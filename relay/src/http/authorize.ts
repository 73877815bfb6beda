import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';
import { forbidden, unauthorized } from './http-errors.js';
import type { Principal, Route } from './route.js';

/** Resolves a presented API key to its principal; undefined when unknown, malformed or revoked. */
export type Authenticator = (key: string) => Promise<Principal | undefined>;

/** `Authorization: Bearer <key>`, else `X-API-Key: <key>` (a proxy may own `Authorization` for another scheme). */
export function readApiKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (bearer !== undefined) return bearer;
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() !== '' ? apiKey.trim() : undefined;
}

/**
 * Enforces the route's `access`: public routes pass; the others need a known, unrevoked key
 * (401) whose role the route lists (403). Runs before the body is read. One step of the route's
 * handler: throws the problem, or resolves once `res.locals.principal` is set.
 */
export function authorize(route: Route, authenticate: Authenticator): (req: Request, res: Response) => Promise<void> | undefined {
  const access = route.access;
  if (access === 'public') return () => undefined;
  const allowed = new Set(access);
  return async (req, res) => {
    const key = readApiKey(req.headers);
    if (key === undefined) {
      throw unauthorized('send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    }
    const principal = await authenticate(key);
    if (principal === undefined) throw unauthorized('the API key is unknown or revoked');
    if (!allowed.has(principal.role)) {
      throw forbidden(`a ${principal.role} key may not ${route.summary.toLowerCase()} (allowed: ${[...allowed].join(', ')})`);
    }
    res.locals.principal = principal;
  };
}
