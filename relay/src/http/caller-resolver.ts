import type { IncomingHttpHeaders } from 'node:http';
import type { ApiKeyRole } from '../store/store.js';
import type { Principal } from './route.js';

/** Resolves a presented API key to its principal; undefined when unknown, malformed or revoked. */
type Authenticator = (key: string) => Promise<Principal | undefined>;

/** Where a request may carry its key. */
export interface KeyPresentation {
  headers: IncomingHttpHeaders;
  /**
   * `?key=`: only on streams a browser opens (EventSource and WebSocket cannot send headers);
   * undefined where the endpoint does not take it.
   */
  queryKey?: string | null;
  /** `?token=`: a stream token (api-keys/stream-token.ts), where the endpoint takes `?key=`. */
  queryToken?: string | null;
}

/** How keys and stream tokens are checked (the API key service). */
export interface KeyChecker {
  authenticate: Authenticator;
  authenticateStreamToken: Authenticator;
}

/** Why a caller is refused: no or an unknown key (401), or a role the endpoint does not allow (403). */
interface CallerRefusal {
  refused: 'unauthorized' | 'forbidden';
  detail: string;
}

export type CallerCheck = { principal: Principal } | CallerRefusal;

const HEADER_WAYS = '"Authorization: Bearer <key>" or "X-API-Key: <key>"';

/**
 * The one way the relay finds out who calls: REST and OFREP routes, the SSE event stream and the
 * websocket stream all present their key here and get the principal or the reason for refusal.
 * A failing key store (StoreUnavailableError) is thrown, for each endpoint to answer 503 its way.
 */
export class CallerResolver {
  constructor(private readonly keys: KeyChecker) {}

  /**
   * The caller of a request that may be made by `allowed`; `action` completes "a <role> key may not …"
   * in a 403 (the route's summary, lowercase).
   */
  async resolve(presentation: KeyPresentation, allowed: readonly ApiKeyRole[], action: string): Promise<CallerCheck> {
    const key = presentedKey(presentation);
    const token = key === undefined ? nonEmpty(presentation.queryToken) : undefined;
    if (key === undefined && token === undefined) {
      const ways =
        presentation.queryKey === undefined
          ? HEADER_WAYS
          : `"Authorization: Bearer <key>", "X-API-Key: <key>" or "?key=<key>"`;
      return { refused: 'unauthorized', detail: `send an API key as ${ways}` };
    }
    const principal =
      key !== undefined ? await this.keys.authenticate(key) : await this.keys.authenticateStreamToken(token!);
    if (principal === undefined) {
      return {
        refused: 'unauthorized',
        detail:
          key !== undefined
            ? 'the API key is unknown or revoked'
            : 'the stream token is expired or its key revoked: evaluate again for a new one',
      };
    }
    if (!allowed.includes(principal.role)) {
      return {
        refused: 'forbidden',
        detail: `a ${principal.role} key may not ${action} (allowed: ${allowed.join(', ')})`,
      };
    }
    return { principal };
  }
}

/** `Authorization: Bearer <key>`, else `X-API-Key: <key>` (a proxy may own `Authorization` for another scheme), else `?key=`. */
export function presentedKey(presentation: KeyPresentation): string | undefined {
  const { headers, queryKey } = presentation;
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (bearer !== undefined) return bearer;
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  return nonEmpty(queryKey);
}

function nonEmpty(text: string | null | undefined): string | undefined {
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/** Whether the key came in a header (the stream then refuses over HTTP rather than with a close code). */
export function keyInHeaders(headers: IncomingHttpHeaders): boolean {
  return presentedKey({ headers }) !== undefined;
}
