import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { StreamMessage } from '@switchyard/protocol';
import { z } from 'zod';
import { presentedKey } from '../../http/caller-resolver.js';
import { serviceUnavailable } from '../../http/http-errors.js';
import { RateLimiter } from '../../http/rate-limiter.js';
import {
  BodyIncompleteError,
  BodyNotJsonError,
  BodyTooLargeError,
  hasBody,
  readJsonBody,
} from '../../http/request-body.js';
import { defineRoute, type Principal, type Route, type RouteAnswer, type RouteRateLimit } from '../../http/route.js';
import type { ApiKeyRole } from '../../store/store.js';
import { lastEventIdOf, SseStreamConnection, startSse } from '../stream/sse-stream-connection.js';
import { audienceOf } from '../flags/flag-environments.js';
import type { StreamHub, Subscription } from '../stream/stream-hub.js';
import { etagOf, matchesIfNoneMatch } from './ofrep-etag.js';
import type { OfrepBulkSuccess, OfrepRequestFailure } from './ofrep-payloads.js';
import { OfrepRequestError, readContext } from './ofrep-request.js';
import { ofrepBulkSchema, ofrepContextBody, ofrepFailureSchema, ofrepSingleSchema } from './ofrep-schemas.js';
import type { OfrepService } from './ofrep-service.js';
import { OFREP_ENVIRONMENT_VARIABLES, type OfrepSettings } from './ofrep-settings.js';

/** Where OFREP's paths start (CORS is mounted there). */
export const OFREP_BASE_PATH = '/ofrep';
const EVALUATE_PATH = `${OFREP_BASE_PATH}/v1/evaluate/flags`;
const OFREP_EVENT_STREAM_PATH = `${OFREP_BASE_PATH}/v1/event-stream`;

export interface OfrepRouteDeps {
  service: OfrepService;
  settings: OfrepSettings;
  /** For keys that name no environment. */
  defaultEnvironment: string;
  /** Without it, bulk answers advertise no event stream and OFREP clients poll. */
  hub?: StreamHub;
  /** A stream token for a server key (its event-stream URL carries that, never the key). */
  streamToken(principal: Principal): Promise<string>;
}

/** Evaluation keys: one environment each. Management keys use the REST API. */
const OFREP_ROLES: readonly ApiKeyRole[] = ['server', 'client'];
/** Wait suggested while the relay has not loaded its flags (a start with the store unreachable). */
const NOT_READY_RETRY_AFTER_SECONDS = 5;
const TAG = 'OFREP';

const keyParams = z.strictObject({ key: z.string().meta({ description: 'The flag name.' }) });
const contextBody = {
  description: 'The evaluation context: `{ "context": { "targetingKey": "user-1", ... } }`.',
  schema: ofrepContextBody,
};

/**
 * OFREP (OpenFeature Remote Evaluation Protocol) as route descriptors like the REST API's, so the
 * OpenAPI document and the authorization matrix cover them: single and bulk evaluation, and the
 * server-sent-event stream bulk answers advertise. Answers use OFREP's shapes where the protocol
 * defines one (400, 404, 413, 500); 401, 403, 429 and 503 are the relay's problem+json. The three
 * share one rate limit per key and client address.
 */
export function ofrepRoutes(deps: OfrepRouteDeps): Route[] {
  const rateLimit: RouteRateLimit = {
    limiter: new RateLimiter(deps.settings.rateLimitPerMinute),
    setting: OFREP_ENVIRONMENT_VARIABLES.rateLimitPerMinute,
    what: 'OFREP requests',
  };
  const environmentOf = (principal: Principal) => principal.environment ?? deps.defaultEnvironment;
  const routes = [
    defineRoute({
      method: 'post',
      path: `${EVALUATE_PATH}/{key}`,
      operationId: 'ofrepEvaluateFlag',
      summary: 'Evaluate a flag over OFREP',
      tag: TAG,
      access: OFREP_ROLES,
      rateLimit,
      params: keyParams,
      ownBody: contextBody,
      responses: {
        200: { description: "The flag's value for this context.", schema: ofrepSingleSchema },
        400: {
          description: 'The context is malformed, or the flag needs what it lacks (OFREP evaluationFailure).',
          schema: ofrepFailureSchema,
        },
        404: {
          description: "The key's environment has no such flag (OFREP flagNotFound).",
          schema: ofrepFailureSchema,
        },
      },
      async handle({ params, principal, request }) {
        return whenReady(deps.service, await readContextOf(request, deps.settings, params.key), (context) => {
          const answer = deps.service.evaluateOne(
            environmentOf(principal),
            params.key,
            context,
            audienceOf(principal.role),
          );
          return { status: answer.status, body: answer.body };
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: EVALUATE_PATH,
      operationId: 'ofrepEvaluateFlags',
      summary: 'Evaluate every flag over OFREP',
      tag: TAG,
      access: OFREP_ROLES,
      rateLimit,
      ownBody: contextBody,
      requestHeaders: {
        'If-None-Match': { description: 'The ETag of the answer the client holds: 304 while it still holds.' },
      },
      responses: {
        200: {
          description: "Every flag of the key's environment for this context, sorted by key.",
          schema: ofrepBulkSchema,
          headers: { ETag: { description: 'Of this answer.' } },
        },
        304: { description: 'The answer is the one If-None-Match names.' },
        400: { description: 'The context is malformed (OFREP bulkEvaluationFailure).', schema: ofrepFailureSchema },
      },
      async handle({ principal, headers, request }) {
        const streamCredential = async (caller: Principal, sent: IncomingHttpHeaders) =>
          caller.role === 'client'
            ? `key=${encodeURIComponent(presentedKey({ headers: sent })!)}`
            : `token=${await deps.streamToken(caller)}`;
        return whenReady(deps.service, await readContextOf(request, deps.settings, undefined), async (context) => {
          const body: OfrepBulkSuccess = {
            flags: deps.service.evaluateAll(environmentOf(principal), context, audienceOf(principal.role)),
          };
          if (deps.hub) body.eventStreams = [eventStreamFor(await streamCredential(principal, headers), deps.settings)];
          const etag = etagOf(body);
          const cacheHeaders = { etag, 'cache-control': 'private, no-cache' };
          if (matchesIfNoneMatch(headers['if-none-match'], etag)) return { status: 304, headers: cacheHeaders };
          return { body, headers: cacheHeaders };
        });
      },
    }),
  ];
  const hub = deps.hub;
  if (hub === undefined) return routes;
  return [
    ...routes,
    defineRoute({
      method: 'get',
      path: OFREP_EVENT_STREAM_PATH,
      operationId: 'ofrepEventStream',
      summary: 'Read flag changes over OFREP as they happen',
      tag: TAG,
      access: OFREP_ROLES,
      rateLimit,
      keyInQuery: true,
      requestHeaders: { 'Last-Event-ID': { description: 'The last event received: resume after it.' } },
      responses: {
        200: {
          description: "Server-sent events: `refetchEvaluation` after each change of the environment's flags.",
          contentType: 'text/event-stream',
        },
      },
      handle({ principal, headers, ip }) {
        const waiting = notReady(deps.service);
        if (waiting !== undefined) return waiting;
        const caller = { address: ip, keyId: principal.keyId };
        const refusal = hub.refusal(caller);
        if (refusal) {
          const error = serviceUnavailable('STREAM_UNAVAILABLE', refusal.reason);
          error.headers['retry-after'] = String(Math.ceil(deps.settings.eventStreamRetryMs / 1000));
          throw error;
        }
        const since = lastEventIdOf(headers['last-event-id']);
        const subscription: Subscription = {
          role: 'client',
          audience: audienceOf(principal.role),
          environment: environmentOf(principal),
          caller,
          ...(since === undefined ? {} : { since }),
        };
        return { stream: (res: ServerResponse) => openEventStream(res, hub, deps.settings, subscription) };
      },
    }),
  ];
}

function openEventStream(
  res: ServerResponse,
  hub: StreamHub,
  settings: OfrepSettings,
  subscription: Subscription,
): void {
  startSse(res, settings.eventStreamRetryMs);
  const connection = new SseStreamConnection(res, ofrepEvent);
  // OFREP clients re-fetch on flags-changed (the client role's message) whatever their key; a server key's name hidden flags too.
  connection.session = hub.attach(connection, subscription);
  res.on('close', () => hub.detach(connection.session!));
}

/** OFREP's event: the hub's `flags-changed` becomes `refetchEvaluation`, which names no flags and carries no configuration. */
function ofrepEvent(message: StreamMessage): string | undefined {
  if (message.type !== 'flags-changed') return undefined;
  const revision = String(message.revision);
  return `id: ${revision}\nevent: message\ndata: ${JSON.stringify({ type: 'refetchEvaluation', etag: revision })}\n\n`;
}

type ContextOrFailure = { context: ReturnType<typeof readContext> } | { failure: RouteAnswer };

/** 500 with Retry-After while the relay has not loaded its flags (answering then would claim there are none). */
function notReady(service: OfrepService): RouteAnswer | undefined {
  if (service.ready) return undefined;
  return {
    status: 500,
    body: { errorDetails: 'the relay has not loaded its flags yet; retry shortly' },
    headers: { 'retry-after': String(NOT_READY_RETRY_AFTER_SECONDS) },
  };
}

function whenReady(
  service: OfrepService,
  read: ContextOrFailure,
  evaluate: (context: ReturnType<typeof readContext>) => RouteAnswer | Promise<RouteAnswer>,
): RouteAnswer | Promise<RouteAnswer> {
  return notReady(service) ?? ('failure' in read ? read.failure : evaluate(read.context));
}

/**
 * The request's evaluation context, or its failure in OFREP's shape (with the flag key on the
 * single route): malformed JSON and bad contexts 400, bodies over the setting 413. The body is read
 * as JSON whatever its declared Content-Type: official OFREP clients send JSON without one (the Go
 * provider up to v0.1.6), and OFREP bodies are JSON by definition. No body: readContext says so.
 */
async function readContextOf(
  request: IncomingMessage,
  settings: OfrepSettings,
  key: string | undefined,
): Promise<ContextOrFailure> {
  const keyField = key === undefined ? {} : { key };
  try {
    const body = hasBody(request) ? await readJsonBody(request, settings.maxBodyBytes) : undefined;
    return { context: readContext(body) };
  } catch (error) {
    if (
      error instanceof OfrepRequestError ||
      error instanceof BodyNotJsonError ||
      error instanceof BodyIncompleteError
    ) {
      const errorCode = error instanceof OfrepRequestError ? error.errorCode : 'PARSE_ERROR';
      const body: OfrepRequestFailure = { ...keyField, errorCode, errorDetails: error.message };
      return { failure: { status: 400, body } };
    }
    if (error instanceof BodyTooLargeError) {
      const body: OfrepRequestFailure = {
        ...keyField,
        errorCode: 'GENERAL',
        errorDetails: `the body is larger than ${OFREP_ENVIRONMENT_VARIABLES.maxBodyBytes}`,
      };
      return { failure: { status: 413, body } };
    }
    throw error;
  }
}

/**
 * The event stream a bulk answer advertises, with the caller's credential as its query: a client
 * key (public: it is in every page anyway) as `key=`, a server key never, a stream token instead.
 */
function eventStreamFor(credential: string, settings: OfrepSettings) {
  // No origin: OFREP clients then use the origin they already call, which survives proxies.
  return {
    type: 'sse' as const,
    endpoint: { requestUri: `${OFREP_EVENT_STREAM_PATH}?${credential}` },
    inactivityDelaySec: settings.eventStreamInactivityDelaySec,
  };
}
