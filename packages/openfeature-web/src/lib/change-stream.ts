import { STREAM_CLOSE_CODES, type Backoff } from '@switchyard/protocol';
import type { ChangeStream, ChangeStreamHandlers } from './transport.js';

/** The part of the browser's `WebSocket` constructor this module uses. */
export type WebSocketFactory = new (url: string) => WebSocket;

/** Close codes after which reconnecting with the same key cannot succeed. */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([STREAM_CLOSE_CODES.unauthorized, STREAM_CLOSE_CODES.forbidden]);

/**
 * Keeps a websocket to the relay's `/api/v1/stream` open: reconnects after `backoff`'s delays,
 * and gives up for good when the relay closes with an unauthorized/forbidden application code
 * (the browser's WebSocket API hides the HTTP status of a rejected upgrade). Browsers cannot see
 * pings, so a link that hears no message for twice the relay's `heartbeatIntervalMs` (from
 * `hello`) counts as dead: a silently dropped connection would otherwise never close.
 */
export function openChangeStream(
  url: string,
  handlers: ChangeStreamHandlers,
  backoff: Backoff,
  WebSocketImpl: WebSocketFactory,
): ChangeStream {
  let socket: WebSocket | undefined;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let heartbeatIntervalMs: number | undefined;
  let liveness: ReturnType<typeof setTimeout> | undefined;

  const dropped = (current: WebSocket, fatal: boolean): void => {
    if (closed || socket !== current) return;
    socket = undefined;
    clearTimeout(liveness);
    handlers.onClose(fatal);
    if (fatal) {
      closed = true;
      return;
    }
    timer = setTimeout(connect, backoff.next());
  };

  const expectMessage = (current: WebSocket): void => {
    clearTimeout(liveness);
    if (heartbeatIntervalMs === undefined) return;
    liveness = setTimeout(() => {
      current.close(1000);
      dropped(current, false);
    }, 2 * heartbeatIntervalMs);
  };

  const connect = (): void => {
    const current = new WebSocketImpl(url);
    socket = current;
    current.onopen = () => {
      backoff.reset();
      expectMessage(current);
      handlers.onOpen();
    };
    current.onmessage = (event: MessageEvent) => {
      if (socket !== current) return;
      const message = parse(event.data);
      const interval = message?.heartbeatIntervalMs;
      if (typeof interval === 'number' && interval > 0) heartbeatIntervalMs = interval;
      expectMessage(current);
      const flagNames = readFlagsChanged(message);
      if (flagNames) handlers.onFlagsChanged(flagNames);
    };
    current.onclose = (event: CloseEvent) => dropped(current, FATAL_CLOSE_CODES.has(event.code));
  };

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearTimeout(liveness);
      socket?.close(1000);
    },
  };
}

type Message = { type?: unknown; flagNames?: unknown; heartbeatIntervalMs?: unknown };

function parse(data: unknown): Message | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as Message;
  } catch {
    return undefined;
  }
}

/** The flag names of a `flags-changed` message, or undefined for any other message. */
function readFlagsChanged(message: Message | undefined): string[] | undefined {
  if (message?.type !== 'flags-changed' || !Array.isArray(message.flagNames)) return undefined;
  return message.flagNames.filter((name): name is string => typeof name === 'string');
}
