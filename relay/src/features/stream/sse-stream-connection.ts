import type { ServerResponse } from 'node:http';
import type { StreamMessage } from '@switchyard/protocol';
import type { StreamConnection } from './stream-connection.js';
import type { StreamSession } from './stream-hub.js';

/** The server-sent event (`id:`, `event:`, `data:` lines) a hub message becomes; undefined: not sent. */
export type SseEventOf = (message: StreamMessage) => string | undefined;

/**
 * Adapts a server-sent-event response to the stream hub: each hub message becomes the event
 * `eventOf` makes of it (OFREP's `refetchEvaluation`, the console's `flags-changed`), heartbeats
 * become SSE comments.
 */
export class SseStreamConnection implements StreamConnection {
  session: StreamSession | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly eventOf: SseEventOf,
  ) {}

  send(frame: Buffer): void {
    const message = JSON.parse(frame.toString('utf8')) as StreamMessage;
    if (message.type === 'heartbeat') {
      this.res.write(': heartbeat\n\n');
      return;
    }
    const event = this.eventOf(message);
    if (event !== undefined) this.res.write(event);
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

/** The revision a reconnecting SSE client names in `Last-Event-ID`, when it is a sane one. */
export function lastEventIdOf(header: string | string[] | undefined): number | undefined {
  const value = typeof header === 'string' && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
  return value !== undefined && Number.isSafeInteger(value) ? value : undefined;
}

/** Starts a server-sent-event answer: 200, unbuffered, and the reconnection delay when one is given. */
export function startSse(res: ServerResponse, retryMs?: number): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  if (retryMs !== undefined) res.write(`retry: ${retryMs}\n\n`);
}
