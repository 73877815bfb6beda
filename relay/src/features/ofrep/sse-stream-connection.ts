import type { ServerResponse } from 'node:http';
import type { StreamConnection } from '../stream/stream-connection.js';
import type { StreamSession } from '../stream/stream-hub.js';

/**
 * Adapts an OFREP server-sent-event response to the stream hub: the hub's `flags-changed`
 * messages become OFREP `refetchEvaluation` events (which name no flags and carry no
 * configuration), its heartbeats become SSE comments, and everything else is not sent.
 */
export class SseStreamConnection implements StreamConnection {
  session: StreamSession | undefined;

  constructor(private readonly res: ServerResponse) {}

  send(frame: Buffer): void {
    const message = JSON.parse(frame.toString('utf8')) as { type?: string; revision?: number };
    if (message.type === 'flags-changed') {
      const revision = String(message.revision ?? '');
      const data = JSON.stringify({ type: 'refetchEvaluation', etag: revision });
      this.res.write(`id: ${revision}\nevent: message\ndata: ${data}\n\n`);
    } else if (message.type === 'heartbeat') {
      this.res.write(': heartbeat\n\n');
    }
  }

  get bufferedAmount(): number {
    return this.res.writableLength;
  }

  /** SSE has no pong: a peer whose connection is still writable counts as alive; a dead one errors and closes. */
  ping(): void {
    if (this.res.writable) this.session?.markAlive();
  }

  close(): void {
    this.res.end();
  }

  terminate(): void {
    this.res.destroy();
  }
}
