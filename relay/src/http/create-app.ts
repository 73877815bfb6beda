import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from '../logging/logger.js';
import type { RelayMetrics } from '../features/ops/relay-metrics.js';
import { errorMiddleware } from './error-middleware.js';
import { methodNotAllowed, notFound, payloadTooLarge } from './http-errors.js';
import { jsonBody, type JsonBodyLimits } from './json-body.js';
import { requestId } from './request-id.js';
import { authorize, type Authenticator } from './authorize.js';
import { expressPath, takesBody, type Principal, type Route, type RouteAnswer } from './route.js';
import { parseInput } from './validation.js';

export interface AppDeps {
  routes: readonly Route[];
  authenticate: Authenticator;
  metrics: RelayMetrics;
  logger: Logger;
  limits: JsonBodyLimits;
  /** Express's `trust proxy` (SWITCHYARD_TRUST_PROXY): decides `req.ip` behind proxies. */
  trustProxy?: boolean | number | string;
  /** Handlers of slices that answer in their own format (OFREP), mounted before the REST routes. */
  mounts?: ReadonlyArray<{ path: string; handler: RequestHandler | Router }>;
}

/** The relay's Express app with every route; it does not listen (main.ts does, tests too). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(requestId());
  app.use(recordRequests(deps.metrics, deps.logger));
  for (const mount of deps.mounts ?? []) app.use(mount.path, mount.handler);
  const router = express.Router({ caseSensitive: true, strict: false });
  for (const route of deps.routes) {
    const handlers: Array<RequestHandler | ErrorRequestHandler> = [labelRoute(route), authorize(route, deps.authenticate)];
    if (takesBody(route)) handlers.push(...bodyHandlers(route, deps.limits));
    handlers.push(runHandler(route));
    router[route.method](expressPath(route.path), ...handlers);
  }
  app.use(router);
  app.use(unmatched(deps.routes));
  app.use(errorMiddleware(deps.logger, deps.limits.maxBodyBytes));
  return app;
}

function bodyHandlers(route: Route, limits: JsonBodyLimits): Array<RequestHandler | ErrorRequestHandler> {
  const own = route.bodyLimit;
  if (own === undefined) return jsonBody(limits);
  const tooLarge: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
    next((error as { type?: unknown } | null)?.type === 'entity.too.large' ? payloadTooLarge(own.maxBodyBytes, own.setting) : error);
  };
  return [...jsonBody({ ...limits, maxBodyBytes: own.maxBodyBytes }), tooLarge];
}

function labelRoute(route: Route): RequestHandler {
  return (_req, res, next) => {
    res.locals.routeLabel = route.path;
    next();
  };
}

function runHandler(route: Route): RequestHandler {
  return async (req, res) => {
    const input = {
      params: route.params ? parseInput(route.params, { ...req.params }, 'params') : {},
      query: route.query ? parseInput(route.query, { ...(req.query as object) }, 'query') : {},
      body: route.body ? parseInput(route.body, req.body, 'body') : req.body,
      principal: res.locals.principal as Principal,
      headers: req.headers,
      path: req.path,
    };
    send(res, await route.handle(input));
  };
}

function send(res: Response, answer: RouteAnswer): void {
  res.status(answer.status ?? 200);
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (answer.text !== undefined) {
    res.type(answer.contentType ?? 'text/plain').send(answer.text);
  } else if (answer.body !== undefined) {
    res.type(answer.contentType ?? 'application/json').send(JSON.stringify(answer.body));
  } else {
    res.end();
  }
}

/** Counts every answer by route template and status, and at debug level logs it. */
function recordRequests(metrics: RelayMetrics, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (res.locals.routeLabel as string | undefined) ?? mountedRoute(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc([route, req.method, String(res.statusCode)]);
      metrics.httpDuration.observe([route, req.method], seconds);
      if (logger.enabled('debug')) {
        const keyId = (res.locals.principal as Principal | undefined)?.keyId;
        const ms = Math.round(seconds * 1e4) / 10;
        const requestId = res.locals.requestId as string | undefined;
        logger.debug('request', { requestId, method: req.method, path: req.path, route, status: res.statusCode, ms, keyId, ip: req.ip });
      }
    });
    next();
  };
}

function mountedRoute(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : 'unmatched';
}

/** 405 with `Allow` when the path exists under other methods, else 404; both as problems. */
function unmatched(routes: readonly Route[]): RequestHandler {
  const patterns = routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}/?$`),
  }));
  return (req: Request, _res: Response, next: NextFunction) => {
    const allowed = [...new Set(patterns.filter((entry) => entry.pattern.test(req.path)).map((entry) => entry.method))];
    if (allowed.length > 0) {
      next(methodNotAllowed(allowed));
      return;
    }
    next(notFound('ROUTE_NOT_FOUND', `no route answers ${req.method} ${req.path}; GET /openapi.json lists them`));
  };
}
