import type { StreamMessage } from '@switchyard/protocol';
import WebSocket from 'ws';

export interface StreamTestClientOptions {
  key?: string;
  /** Send the key as `?key=` (as a browser must) instead of the Authorization header. */
  viaQuery?: boolean;
  since?: number;
  /** false: never answer pings, like a peer that vanished. */
  autoPong?: boolean;
}

/**
 * A websocket client for tests: records every message, and resolves when one arrives or the
 * connection closes. Used by the stream's tests and the multi-relay tests.
 */
export class StreamTestClient {
  readonly messages: StreamMessage[] = [];
  readonly socket: WebSocket;
  /** The HTTP status when the upgrade was refused. */
  readonly refused: Promise<number>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  constructor(baseUrl: string, options: StreamTestClientOptions = {}) {
    const url = new URL('/api/v1/stream', baseUrl.replace(/^http/, 'ws'));
    if (options.since !== undefined) url.searchParams.set('since', String(options.since));
    if (options.key !== undefined && options.viaQuery) url.searchParams.set('key', options.key);
    const headers = options.key !== undefined && !options.viaQuery ? { authorization: `Bearer ${options.key}` } : {};
    this.socket = new WebSocket(url, { headers, autoPong: options.autoPong ?? true });
    this.socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as StreamMessage);
      this.notify();
    });
    this.refused = new Promise((resolve) => {
      this.socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        this.socket.terminate();
      });
    });
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => {
        resolve({ code, reason: String(reason) });
        this.notify();
      });
    });
  }

  /** Resolves with the first message (counting from the start) that matches, waiting if needed. */
  async waitFor<T extends StreamMessage>(
    predicate: (message: StreamMessage) => message is T,
    timeoutMs?: number,
  ): Promise<T>;
  async waitFor(predicate: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  async waitFor(predicate: (message: StreamMessage) => boolean, timeoutMs = 20_000): Promise<StreamMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error('the stream closed before the message came');
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`no matching message within ${timeoutMs} ms: ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The revision a client would resume from: that of the last message other than `hello`. */
  get revision(): number | undefined {
    const last = this.messages.filter((m) => m.type !== 'hello').at(-1);
    return last?.revision;
  }

  close(): void {
    this.socket.terminate();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
