import type { StreamMessage, UsageBatch } from '@switchyard/protocol';

/** How one stream connection ended, as the transport saw it. */
export interface StreamClosure {
  /** Websocket close code, when the socket was open (e.g. 4401, 1001, 1006). */
  code?: number;
  /** HTTP status, when the relay refused the upgrade (e.g. 401, 503). */
  status?: number;
  /** Human-readable cause: the problem+json `detail`, a close reason or a network error. */
  message: string;
}

export interface StreamHandlers {
  onMessage(message: StreamMessage): void;
  /** Called once per connection, whether it failed to open or closed later. Never after `close()`. */
  onClose(closure: StreamClosure): void;
}

export interface StreamConnection {
  /** Closes the connection; `onClose` is not called for a close the caller asked for. */
  close(): void;
}

/**
 * Everything the provider needs from the network. The default talks to a relay over `ws` and
 * `fetch`; tests pass a fake as the provider's last constructor argument.
 */
export interface SwitchyardTransport {
  /** Opens `GET /api/v1/stream`, resuming after `since` when given. */
  openStream(since: number | undefined, handlers: StreamHandlers): StreamConnection;
  /** `POST /api/v1/usage`; rejects with a `SwitchyardTransportError` on failure. */
  sendUsage(batch: UsageBatch): Promise<void>;
}
