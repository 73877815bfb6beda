import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { readApiKey } from '../../http/authorize.js';
import { forbidden, HttpError, serviceUnavailable, unauthorized } from '../../http/http-errors.js';
import { BodyIncompleteError, BodyNotJsonError, BodyTooLargeError, declaresJson, hasBody, readJsonBody } from '../../http/request-body.js';
import type { StreamMessage } from '@switchyard/protocol';
import { lastEventIdOf, SseStreamConnection, startSse } from '../stream/sse-stream-connection.js';
import type { StreamHub } from '../stream/stream-hub.js';
import { createCors } from './cors.js';
import { etagOf, matchesIfNoneMatch } from './ofrep-etag.js';
import type { OfrepBulkSuccess, OfrepRequestFailure } from './ofrep-payloads.js';
import { OfrepRequestError, readContext } from './ofrep-request.js';
import type { OfrepService } from './ofrep-service.js';
import type { OfrepSettings } from './ofrep-settings.js';
import { RateLimiter } from './rate-limiter.js';

/** Where the OFREP router is mounted; its routes are relative to it. */
export const OFREP_BASE_PATH = '/ofrep';
const EVENT_STREAM_ROUTE = '/v1/event-stream';
const OFREP_EVENT_STREAM_PATH = `${OFREP_BASE_PATH}${EVENT_STREAM_ROUTE}`;

/** What OFREP needs to know of an API key. */
export interface OfrepKey {
  keyId: string;
  role: string;
  environment?: string;
}

export interface OfrepRouteDeps {
  service: OfrepService;
  /** Resolves the key a secret names; undefined when it is unknown or revoked. */
  authenticate(secret: string): Promise<OfrepKey | undefined>;
  settings: OfrepSettings;
  /** For keys that name no environment. */
  defaultEnvironment: string;
  /** Without it, bulk answers advertise no event stream and OFREP clients poll. */
  hub?: StreamHub;
}

/** Evaluation keys: one environment each. Management keys use the REST API. */
const OFREP_ROLES: ReadonlySet<string> = new Set(['client', 'server']);
/** Wait suggested while the relay has not loaded its flags (a start with the store unreachable). */
const NOT_READY_RETRY_AFTER_SECONDS = 5;

interface Caller {
  secret: string;
  environment: string;
}

/**
 * OFREP (OpenFeature Remote Evaluation Protocol) on the relay, mounted at OFREP_BASE_PATH (so no
 * other request passes through it): single and bulk evaluation, and the server-sent-event stream
 * bulk answers advertise. Errors use OFREP's shapes where the protocol
 * defines one (400, 404, 500); 401, 403, 429 and 503 go to the relay's problem+json error middleware.
 */
export function createOfrepRouter(deps: OfrepRouteDeps): Router {
  const router = Router();
  const limiter = new RateLimiter(deps.settings.rateLimitPerMinute);
  const callers = new WeakMap<Request, Caller>();
  const authorize = authorizeWith(deps, limiter, callers);

  router.use(createCors(deps.settings.corsAllowedOrigins));

  const evaluateOne: RequestHandler = (req, res) => {
    const caller = callers.get(req) as Caller;
    const key = String(req.params.key);
    const context = readContextOr400(req, res, key);
    if (!context) return;
    const answer = deps.service.evaluateOne(caller.environment, key, context);
    res.status(answer.status).json(answer.body);
  };

  const evaluateAll: RequestHandler = (req, res) => {
    const caller = callers.get(req) as Caller;
    const context = readContextOr400(req, res, undefined);
    if (!context) return;
    const body: OfrepBulkSuccess = { flags: deps.service.evaluateAll(caller.environment, context) };
    if (deps.hub) body.eventStreams = [eventStreamFor(caller.secret, deps.settings)];
    const etag = etagOf(body);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    res.status(200).json(body);
  };

  const json = jsonBodyOf(deps.settings.maxBodyBytes);
  router.post('/v1/evaluate/flags/:key', authorize, json, evaluateOne, ofrepErrorHandler);
  router.post('/v1/evaluate/flags', authorize, json, evaluateAll, ofrepErrorHandler);

  if (deps.hub) router.get(EVENT_STREAM_ROUTE, authorize, eventStreamHandler(deps.hub, deps.settings, callers));

  return router;
}

function authorizeWith(deps: OfrepRouteDeps, limiter: RateLimiter, callers: WeakMap<Request, Caller>): RequestHandler {
  return async (req, res, next) => {
    // EventSource cannot send headers, so the event stream also takes `?key=`.
    const query = req.path === EVENT_STREAM_ROUTE ? req.query.key : undefined;
    const secret = readApiKey(req.headers) ?? (typeof query === 'string' && query !== '' ? query : undefined);
    if (!secret) throw unauthorized('send a server or client key as "Authorization: Bearer <key>" or "X-API-Key: <key>"');
    const key = await deps.authenticate(secret);
    if (!key) throw unauthorized('the API key is unknown or revoked');
    if (!OFREP_ROLES.has(key.role)) throw forbidden(`a ${key.role} key may not evaluate over OFREP: use a server or client key`);
    const decision = limiter.take(`${key.keyId}|${req.ip ?? ''}`);
    if (!decision.allowed) throw tooManyRequests(deps.settings.rateLimitPerMinute, decision.retryAfterSeconds);
    if (!deps.service.ready) {
      res.setHeader('Retry-After', String(NOT_READY_RETRY_AFTER_SECONDS));
      res.status(500).json({ errorDetails: 'the relay has not loaded its flags yet; retry shortly' });
      return;
    }
    callers.set(req, { secret, environment: key.environment ?? deps.defaultEnvironment });
    next();
  };
}

function tooManyRequests(perMinute: number, retryAfterSeconds: number): HttpError {
  const detail = `more than ${perMinute} OFREP requests a minute from this key and address (SWITCHYARD_OFREP_RATE_LIMIT_PER_MINUTE)`;
  return new HttpError(429, 'RATE_LIMITED', 'Too many requests', detail, [], {}, { 'retry-after': String(retryAfterSeconds) });
}

function readContextOr400(req: Request, res: Response, key: string | undefined) {
  try {
    return readContext(req.body);
  } catch (error) {
    if (!(error instanceof OfrepRequestError)) throw error;
    const body: OfrepRequestFailure = { ...(key === undefined ? {} : { key }), errorCode: error.errorCode, errorDetails: error.message };
    res.status(400).json(body);
    return undefined;
  }
}

function eventStreamFor(secret: string, settings: OfrepSettings) {
  // No origin: OFREP clients then use the origin they already call, which survives proxies.
  return {
    type: 'sse' as const,
    endpoint: { requestUri: `${OFREP_EVENT_STREAM_PATH}?key=${encodeURIComponent(secret)}` },
    inactivityDelaySec: settings.eventStreamInactivityDelaySec,
  };
}

function eventStreamHandler(hub: StreamHub, settings: OfrepSettings, callers: WeakMap<Request, Caller>): RequestHandler {
  return (req, res) => {
    const caller = callers.get(req) as Caller;
    const refusal = hub.refusal();
    if (refusal) {
      const error = serviceUnavailable('STREAM_UNAVAILABLE', refusal.reason);
      error.headers['retry-after'] = String(Math.ceil(settings.eventStreamRetryMs / 1000));
      throw error;
    }
    startSse(res, settings.eventStreamRetryMs);
    const connection = new SseStreamConnection(res, ofrepEvent);
    const since = lastEventIdOf(req.headers['last-event-id']);
    connection.session = hub.attach(connection, { role: 'client', environment: caller.environment, ...(since === undefined ? {} : { since }) });
    res.on('close', () => hub.detach(connection.session!));
  };
}

/** OFREP's event: the hub's `flags-changed` becomes `refetchEvaluation`, which names no flags and carries no configuration. */
function ofrepEvent(message: StreamMessage): string | undefined {
  if (message.type !== 'flags-changed') return undefined;
  const revision = String(message.revision);
  return `id: ${revision}\nevent: message\ndata: ${JSON.stringify({ type: 'refetchEvaluation', etag: revision })}\n\n`;
}

/** Reads a JSON body into `req.body`; other content types leave it undefined (readContext then answers 400). */
function jsonBodyOf(maxBodyBytes: number): RequestHandler {
  return async (req, _res, next) => {
    req.body = hasBody(req) && declaresJson(req) ? await readJsonBody(req, maxBodyBytes) : undefined;
    next();
  };
}

/**
 * Malformed JSON and oversized bodies in OFREP's failure shape (with the flag key on the single
 * route). Everything else goes on to the problem+json middleware: key and rate-limit refusals,
 * and unexpected failures (logged there, answered 500).
 */
const ofrepErrorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  const key = typeof req.params?.key === 'string' ? { key: req.params.key } : {};
  if (error instanceof BodyNotJsonError || error instanceof BodyIncompleteError) {
    res.status(400).json({ ...key, errorCode: 'PARSE_ERROR', errorDetails: error.message });
    return;
  }
  if (error instanceof BodyTooLargeError) {
    res.status(413).json({ ...key, errorCode: 'GENERAL', errorDetails: 'the body is larger than SWITCHYARD_OFREP_MAX_BODY_BYTES' });
    return;
  }
  next(error);
};
