import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { STREAM_CLOSE_CODES, type StreamRole } from '@switchyard/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  keyInHeaders,
  type CallerCheck,
  type CallerResolver,
  type KeyPresentation,
} from '../../http/caller-resolver.js';
import type { ApiKeyRole } from '../../store/store.js';
import type { StreamHub, Subscription } from './stream-hub.js';
import { WsStreamConnection } from './ws-stream-connection.js';

const STREAM_PATH = '/api/v1/stream';

export interface StreamEndpointOptions {
  hub: StreamHub;
  /** Who opens the stream: the resolver REST and OFREP use. */
  callers: CallerResolver;
  /** For keys that name no environment. */
  defaultEnvironment: string;
  /** Largest frame a client may send (the relay reads none). */
  maxPayloadBytes: number;
  /** The client's address (counted against SWITCHYARD_STREAM_MAX_PER_ADDRESS); default: the socket's. */
  addressOf?: (request: IncomingMessage) => string;
  /** Suggested in the Retry-After of a refusal for the stream limits. */
  retryAfterSeconds?: number;
  /**
   * Brings this relay up to date with the store. Called (for at most `catchUpWaitMs`) when a client
   * comes from a relay further ahead (`since` above this relay's revision), so it resumes instead
   * of getting a snapshot older than what it has.
   */
  catchUp?: () => Promise<void>;
  catchUpWaitMs?: number;
}

interface Rejection {
  status: number;
  closeCode: number;
  title: string;
  detail: string;
}

type Resolution = { subscription: Subscription } | { rejection: Rejection };

const STREAM_ROLES: readonly ApiKeyRole[] = ['server', 'client'] satisfies StreamRole[];
const STREAM_ACTION = 'open a stream';
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Serves `GET /api/v1/stream` on the relay's HTTP server (docs/protocol.md). A refused key sent in
 * the `Authorization` header gets an HTTP error before any upgrade; one sent as `?key=` (browsers,
 * which cannot read the status of a failed upgrade) gets an accepted socket closed with a 44xx code.
 */
export function attachStreamEndpoint(server: Server, options: StreamEndpointOptions): { close(): void } {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: options.maxPayloadBytes,
  });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://relay');
    if (url.pathname !== STREAM_PATH) {
      // Another upgrade listener may want it; with none, nobody would ever answer.
      if (server.listenerCount('upgrade') === 1) rejectOverHttp(socket, notFound(), DEFAULT_RETRY_AFTER_SECONDS);
      return;
    }
    socket.on('error', () => socket.destroy());
    void resolveRequest(request, url, options).then((resolution) => {
      const viaHeader = keyInHeaders(request.headers);
      if ('rejection' in resolution && viaHeader) {
        rejectOverHttp(socket, resolution.rejection, options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        if ('rejection' in resolution) {
          ws.close(resolution.rejection.closeCode, resolution.rejection.title);
          return;
        }
        open(ws, options.hub, resolution.subscription);
      });
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      wss.close();
    },
  };
}

function open(ws: WebSocket, hub: StreamHub, subscription: Subscription): void {
  const session = hub.attach(new WsStreamConnection(ws), subscription);
  ws.on('pong', () => session.markAlive());
  ws.on('message', () => session.markAlive());
  ws.on('error', () => ws.terminate());
  ws.on('close', () => hub.detach(session));
}

async function resolveRequest(request: IncomingMessage, url: URL, options: StreamEndpointOptions): Promise<Resolution> {
  const presentation: KeyPresentation = { headers: request.headers, queryKey: url.searchParams.get('key') };
  const sinceText = url.searchParams.get('since');
  const since = sinceText === null ? undefined : Number(sinceText);
  if (since !== undefined && !(sinceText !== '' && Number.isSafeInteger(since) && since >= 0)) {
    return { rejection: badRequest(`since must be a non-negative integer revision, not "${sinceText}"`) };
  }
  let check: CallerCheck;
  try {
    check = await options.callers.resolve(presentation, STREAM_ROLES, STREAM_ACTION);
  } catch {
    return { rejection: unavailable('the relay cannot check keys right now; retry with backoff') };
  }
  if ('refused' in check)
    return { rejection: check.refused === 'unauthorized' ? unauthorized(check.detail) : forbidden(check.detail) };
  const key = check.principal;
  if (since !== undefined && since > options.hub.revision && options.catchUp)
    await catchUpBriefly(options.catchUp, options.catchUpWaitMs ?? 0);
  const caller = { address: options.addressOf?.(request) ?? request.socket.remoteAddress ?? '', keyId: key.keyId };
  const refusal = options.hub.refusal(caller);
  if (refusal)
    return {
      rejection: unavailable(
        `${refusal.reason}; retry in ${options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS} s`,
        refusal.code,
      ),
    };
  const environment = key.environment ?? options.defaultEnvironment;
  const stillAuthorized = async (): Promise<boolean> => {
    const current = await options.callers.resolve(presentation, STREAM_ROLES, STREAM_ACTION);
    return (
      'principal' in current && current.principal.role === key.role && current.principal.environment === key.environment
    );
  };
  return {
    subscription: {
      role: key.role as StreamRole,
      environment,
      stillAuthorized,
      caller,
      ...(since === undefined ? {} : { since }),
    },
  };
}

async function catchUpBriefly(catchUp: () => Promise<void>, waitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  await Promise.race([catchUp().catch(() => undefined), timeout]);
  clearTimeout(timer);
}

const unauthorized = (detail: string): Rejection => ({
  status: 401,
  closeCode: STREAM_CLOSE_CODES.unauthorized,
  title: 'unauthorized',
  detail,
});
const forbidden = (detail: string): Rejection => ({
  status: 403,
  closeCode: STREAM_CLOSE_CODES.forbidden,
  title: 'forbidden',
  detail,
});
const badRequest = (detail: string): Rejection => ({
  status: 400,
  closeCode: STREAM_CLOSE_CODES.badRequest,
  title: 'bad request',
  detail,
});
const unavailable = (detail: string, closeCode: number = STREAM_CLOSE_CODES.unavailable): Rejection => ({
  status: 503,
  closeCode,
  title: 'unavailable',
  detail,
});
const notFound = (): Rejection => ({ status: 404, closeCode: 4404, title: 'not found', detail: 'no websocket here' });

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

function rejectOverHttp(socket: Duplex, rejection: Rejection, retryAfterSeconds: number): void {
  const body = JSON.stringify({
    type: 'about:blank',
    title: rejection.title,
    status: rejection.status,
    detail: rejection.detail,
    closeCode: rejection.closeCode,
  });
  const headers = [
    `HTTP/1.1 ${rejection.status} ${STATUS_TEXT[rejection.status] ?? ''}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...(rejection.status === 503 ? [`Retry-After: ${retryAfterSeconds}`] : []),
    ...(rejection.status === 401 ? ['WWW-Authenticate: Bearer'] : []),
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
