import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { Logger } from '../logging/logger.js';
import { errorMiddleware } from './error-middleware.js';
import { methodNotAllowed, notFound, tooManyRequests } from './http-errors.js';
import { jsonBody, type JsonBodyLimits } from './json-body.js';
import { assignRequestId } from './request-id.js';
import { authorize } from './authorize.js';
import type { CallerResolver } from './caller-resolver.js';
import {
  expressPath,
  takesBody,
  type Principal,
  type Route,
  type RouteAnswer,
  type RouteInput,
  type RouteRateLimit,
} from './route.js';
import { parseInput } from './validation.js';

/** What the app counts of each request, by route (the ops slice's RelayMetrics has both). */
interface RequestMetrics {
  httpRequests: { inc(labels: { route: string; method: string; status: string }): void };
  httpDuration: { observe(labels: { route: string; method: string }, seconds: number): void };
}

export interface AppDeps {
  routes: readonly Route[];
  /** Who calls: the one resolver of REST, OFREP and the streams. */
  callers: CallerResolver;
  metrics: RequestMetrics;
  logger: Logger;
  limits: JsonBodyLimits;
  /** Express's `trust proxy` (SWITCHYARD_TRUST_PROXY): decides `req.ip` behind proxies. */
  trustProxy?: boolean | number | string;
  /** Set in a cluster worker: every answer names it in `X-Switchyard-Worker`. */
  workerId?: number;
  /** Handlers for paths before the routes match (CORS of the endpoints pages call), mounted before the routes. */
  mounts?: ReadonlyArray<{ path: string; handler: RequestHandler | Router }>;
  /** Asked about requests no route matched, before they get 404/405 (the web console's files). */
  fallback?: RequestHandler;
}

/** The relay's Express app with every route; it does not listen (main.ts does, tests too). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.enable('case sensitive routing');
  app.disable('strict routing');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(identifyAndRecord(deps.metrics, deps.logger, deps.workerId));
  for (const mount of deps.mounts ?? []) app.use(mount.path, mount.handler);
  // Routes straight on the app's own router (case-sensitive, trailing slash optional): no nested router per request.
  for (const route of deps.routes) app[route.method](expressPath(route.path), routeHandler(route, deps));
  if (deps.fallback !== undefined) app.use(deps.fallback);
  app.use(unmatched(deps.routes));
  app.use(errorMiddleware(deps.logger));
  return app;
}

/**
 * The route as ONE Express handler (each Express layer costs time on every request): label, authorize,
 * read the JSON body, validate the input, run the handler, send. A failing step's problem goes to the
 * error middleware.
 */
function routeHandler(route: Route, deps: AppDeps): RequestHandler {
  const checkAccess = authorize(route, deps.callers);
  const rateLimit = route.rateLimit;
  const readBody = takesBody(route) ? bodyReader(route, deps.limits) : undefined;
  return async (req, res) => {
    res.locals.routeLabel = route.path;
    const authorizing = checkAccess(req, res);
    if (authorizing !== undefined) await authorizing;
    if (rateLimit !== undefined) takeFromBudget(rateLimit, req, res);
    const reading = readBody?.(req);
    if (reading !== undefined) await reading;
    const answer = route.handle(inputOf(route, req, res));
    send(res, answer instanceof Promise ? await answer : answer);
  };
}

/** 429 with Retry-After once the caller (key and address) has spent the route's budget for this minute. */
function takeFromBudget(rateLimit: RouteRateLimit, req: Request, res: Response): void {
  const principal = res.locals.principal as Principal | undefined;
  if (rateLimit.roles !== undefined && (principal === undefined || !rateLimit.roles.includes(principal.role))) return;
  const decision = rateLimit.limiter.take(`${principal?.keyId ?? ''}|${req.ip ?? ''}`);
  if (!decision.allowed) {
    throw tooManyRequests(
      `more than ${rateLimit.limiter.perMinute} ${rateLimit.what} a minute from this key and address (${rateLimit.setting})`,
      decision.retryAfterSeconds,
    );
  }
}

/** The JSON body reader, with the route's own body limit and its setting when it has one. */
function bodyReader(route: Route, limits: JsonBodyLimits): (req: Request) => Promise<void> | undefined {
  const own = route.bodyLimit;
  return jsonBody(
    own === undefined ? limits : { ...limits, maxBodyBytes: own.maxBodyBytes, bodyLimitSetting: own.setting },
  );
}

function inputOf(route: Route, req: Request, res: Response): RouteInput<unknown, unknown, unknown> {
  return {
    params: route.params ? parseInput(route.params, { ...req.params }, 'params') : {},
    query: route.query ? parseInput(route.query, { ...(req.query as object) }, 'query') : {},
    body: route.body ? parseInput(route.body, req.body, 'body') : req.body,
    principal: res.locals.principal as Principal,
    headers: req.headers,
    ip: req.ip ?? '',
    request: req,
  };
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** Writes the answer straight to Node's response: Express's send/status/type helpers cost every request. */
function send(res: Response, answer: RouteAnswer): void {
  if (answer.stream !== undefined) {
    answer.stream(res);
    return;
  }
  res.statusCode = answer.status ?? 200;
  if (answer.headers !== undefined)
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  const payload = answer.text ?? (answer.body === undefined ? undefined : JSON.stringify(answer.body));
  if (payload === undefined) {
    res.end();
    return;
  }
  res.setHeader(
    'Content-Type',
    answer.contentType ?? (answer.text === undefined ? JSON_CONTENT_TYPE : TEXT_CONTENT_TYPE),
  );
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

/** Which worker of a cluster answered (docs/scaling.md). */
const WORKER_HEADER = 'X-Switchyard-Worker';

/**
 * Gives the request its id (see assignRequestId), then counts its answer by route template and status,
 * and at debug level logs it. One middleware rather than two: each Express layer costs every request.
 */
function identifyAndRecord(metrics: RequestMetrics, logger: Logger, workerId: number | undefined): RequestHandler {
  const worker = workerId === undefined ? undefined : String(workerId);
  return (req, res, next) => {
    const requestId = assignRequestId(req, res);
    if (worker !== undefined) res.setHeader(WORKER_HEADER, worker);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (res.locals.routeLabel as string | undefined) ?? mountedRoute(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.httpDuration.observe({ route, method: req.method }, seconds);
      if (logger.isLevelEnabled('debug')) {
        const keyId = (res.locals.principal as Principal | undefined)?.keyId;
        const ms = Math.round(seconds * 1e4) / 10;
        logger.debug(
          {
            requestId,
            method: req.method,
            path: req.path,
            route,
            status: res.statusCode,
            ms,
            keyId,
            ip: req.ip,
          },
          'request',
        );
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
