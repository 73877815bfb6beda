import type { Request, Response } from 'express';
import type { CallerResolver } from './caller-resolver.js';
import { forbidden, unauthorized } from './http-errors.js';
import type { Route } from './route.js';

/**
 * Enforces the route's `access`: public routes pass; the others need a known, unrevoked key
 * (401) whose role the route lists (403). Runs before the body is read. One step of the route's
 * handler: throws the problem, or resolves once `res.locals.principal` is set.
 */
export function authorize(
  route: Route,
  callers: CallerResolver,
): (req: Request, res: Response) => Promise<void> | undefined {
  const access = route.access;
  if (access === 'public') return () => undefined;
  const action = route.summary.toLowerCase();
  return async (req, res) => {
    const presentation = route.keyInQuery
      ? { headers: req.headers, queryKey: queryText(req.query.key), queryToken: queryText(req.query.token) }
      : { headers: req.headers };
    const check = await callers.resolve(presentation, access, action);
    if ('refused' in check)
      throw check.refused === 'unauthorized' ? unauthorized(check.detail) : forbidden(check.detail);
    res.locals.principal = check.principal;
  };
}

function queryText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
