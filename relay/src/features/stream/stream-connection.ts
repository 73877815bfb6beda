/**
 * What the hub needs of one websocket, so it can be tested without sockets.
 * `ws-stream-connection.ts` adapts a `ws` WebSocket to it.
 */
export interface StreamConnection {
  /** Queues one text frame holding these UTF-8 bytes (JSON). */
  send(frame: Buffer): void;
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number;
  ping(): void;
  /** Starts the close handshake. */
  close(code: number, reason: string): void;
  /** Destroys the socket without a handshake (the peer is gone). */
  terminate(): void;
}
