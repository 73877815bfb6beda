import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { ApiKeyRole } from '../store/store.js';
import type { RateLimiter } from './rate-limiter.js';

/** Who is calling: the API key a request authenticated with. */
export interface Principal {
  keyId: string;
  /** The key's name: the actor written to the audit log. */
  name: string;
  role: ApiKeyRole;
  /** For `server` and `client` keys: the one environment they may see. */
  environment?: string;
}

/** `public`, or the roles allowed to call the route. Every route names one: nothing is open by omission. */
export type Access = 'public' | readonly ApiKeyRole[];

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A body the route takes as any JSON and validates itself (flags: core's validateFlag); documented by `schema`. */
interface JsonBodyDoc {
  description: string;
  /** JSON Schema for the OpenAPI document only. */
  schema: Record<string, unknown>;
}

/** A request or response header, for the OpenAPI document. */
export interface HeaderDoc {
  description: string;
  /** A request header the route cannot do without (default: optional). */
  required?: boolean;
  /** JSON Schema of its value (default: a string). */
  schema?: Record<string, unknown>;
}

export interface ResponseDoc {
  description: string;
  /** Schema of a JSON answer (zod, rendered into the OpenAPI document), when there is one. */
  schema?: z.ZodType;
  contentType?: string;
  /** Headers the answer carries (e.g. `ETag`), by name. */
  headers?: Record<string, HeaderDoc>;
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Undefined only on public routes. */
  principal: Principal;
  headers: IncomingHttpHeaders;
  /** The client's address (after SWITCHYARD_TRUST_PROXY). */
  ip: string;
  /** The request itself, for a route that reads its body its own way (`ownBody`). */
  request: IncomingMessage;
}

export interface RouteAnswer {
  status?: number;
  /** Sent as JSON; absent: no body (e.g. 204). */
  body?: unknown;
  /** Sent as is instead of JSON, as `contentType` (default text/plain). */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** An answer that stays open and writes itself (server-sent events): status, headers and body are its own. */
  stream?: (res: ServerResponse) => void;
}

/** Requests per minute per key and client address; the routes given the same limiter share one budget. */
export interface RouteRateLimit {
  limiter: RateLimiter;
  /** The setting that configures it, named in the 429. */
  setting: string;
  /** What is counted, for the 429: `OFREP requests`. */
  what: string;
  /** Only callers with these roles spend from it (default: every caller). */
  roles?: readonly ApiKeyRole[];
}

export interface Route<B = unknown, Q = unknown, P = unknown> {
  method: HttpMethod;
  /** OpenAPI-style path: `/api/v1/feature-flags/{name}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** Request headers the handler reads (e.g. `If-Match`), by name; the route's own, not those of every route (Authorization). */
  requestHeaders?: Record<string, HeaderDoc>;
  /** A JSON body validated by this schema before the handler runs. */
  body?: z.ZodType<B>;
  /** A body limit of the route's own, and the setting that configures it (default: SWITCHYARD_MAX_BODY_BYTES). */
  bodyLimit?: { maxBodyBytes: number; setting: string };
  /** A JSON body passed through unvalidated (the handler validates it). */
  jsonBody?: JsonBodyDoc;
  /** A body the handler reads itself from `request` (OFREP: JSON whatever the Content-Type, failures in OFREP's shape). */
  ownBody?: JsonBodyDoc;
  /** The key may also come as `?key=` (EventSource cannot send headers). */
  keyInQuery?: boolean;
  /** Checked after the key, before the body. */
  rateLimit?: RouteRateLimit;
  /** Answers besides the error statuses every route may give. */
  responses: Record<number, ResponseDoc>;
  handle(input: RouteInput<B, Q, P>): RouteAnswer | Promise<RouteAnswer>;
}

/** A route with its input types inferred from its schemas; returned erased so routes of all shapes fit one list. */
export function defineRoute<B = undefined, Q = Record<string, never>, P = Record<string, never>>(
  route: Route<B, Q, P>,
): Route {
  return route as unknown as Route;
}

export function takesBody(route: Route): boolean {
  return route.body !== undefined || route.jsonBody !== undefined;
}

/** `/api/v1/feature-flags/{name}` → `/api/v1/feature-flags/:name` (Express). */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
