import type { WebSocket } from 'ws';
import type { StreamConnection } from './stream-connection.js';

/** A `ws` WebSocket as the hub sees it. */
export class WsStreamConnection implements StreamConnection {
  constructor(private readonly socket: WebSocket) {}

  send(frame: Buffer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame, { binary: false });
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  ping(): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.ping();
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }
}
