import { STREAM_CLOSE_CODES } from '@switchyard/protocol';
import type { ChangeStream, ChangeStreamHandlers } from './transport.js';

export interface ReconnectPolicy {
  reconnectMinDelayMs: number;
  reconnectMaxDelayMs: number;
}

/** The part of the browser's `WebSocket` constructor this module uses. */
export type WebSocketFactory = new (url: string) => WebSocket;

/** Close codes after which reconnecting with the same key cannot succeed. */
const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([STREAM_CLOSE_CODES.unauthorized, STREAM_CLOSE_CODES.forbidden]);

/**
 * Keeps a websocket to the relay's `/api/v1/stream` open: reconnects with doubling delays,
 * and gives up for good when the relay closes with an unauthorized/forbidden application code
 * (the browser's WebSocket API hides the HTTP status of a rejected upgrade).
 */
export function openChangeStream(
  url: string,
  handlers: ChangeStreamHandlers,
  policy: ReconnectPolicy,
  WebSocketImpl: WebSocketFactory,
): ChangeStream {
  let socket: WebSocket | undefined;
  let closed = false;
  let delay = policy.reconnectMinDelayMs;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    const current = new WebSocketImpl(url);
    socket = current;
    current.onopen = () => {
      delay = policy.reconnectMinDelayMs;
      handlers.onOpen();
    };
    current.onmessage = (event: MessageEvent) => {
      const flagNames = readFlagsChanged(event.data);
      if (flagNames) handlers.onFlagsChanged(flagNames);
    };
    current.onclose = (event: CloseEvent) => {
      if (closed || socket !== current) return;
      const fatal = FATAL_CLOSE_CODES.has(event.code);
      handlers.onClose(fatal);
      if (fatal) {
        closed = true;
        return;
      }
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, policy.reconnectMaxDelayMs);
    };
  };

  connect();
  return {
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      socket?.close(1000);
    },
  };
}

/** The flag names of a `flags-changed` message, or undefined for any other message. */
function readFlagsChanged(data: unknown): string[] | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const message = JSON.parse(data) as { type?: unknown; flagNames?: unknown };
    if (message.type !== 'flags-changed' || !Array.isArray(message.flagNames)) return undefined;
    return message.flagNames.filter((name): name is string => typeof name === 'string');
  } catch {
    return undefined;
  }
}
