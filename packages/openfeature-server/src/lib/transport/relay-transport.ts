import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import {
  parseRetryAfter,
  SwitchyardTransportError,
  transportErrorForStatus,
  type StreamMessage,
  type UsageBatch,
} from '@switchyard/protocol';
import type { StreamConnection, StreamHandlers, SwitchyardTransport } from './switchyard-transport.js';

export interface RelayTransportOptions {
  relayUrl: string;
  sdkKey: string;
  /** Timeout of each HTTP request and of the websocket handshake. */
  requestTimeoutMs: number;
}

/** Biggest error body read from a refused upgrade, to quote its problem+json `detail`. */
const MAX_ERROR_BODY_BYTES = 4096;

/** The default transport: the relay's websocket through `ws`, usage batches through `fetch`. */
export class RelayTransport implements SwitchyardTransport {
  constructor(private readonly options: RelayTransportOptions) {}

  openStream(since: number | undefined, handlers: StreamHandlers): StreamConnection {
    const url = new URL(`${this.options.relayUrl}/api/v1/stream`);
    url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
    if (since !== undefined) url.searchParams.set('since', String(since));
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.options.sdkKey}` },
      handshakeTimeout: this.options.requestTimeoutMs,
    });
    let closedByCaller = false;
    let reported = false;
    const report = (closure: { code?: number; status?: number; message: string }) => {
      if (closedByCaller || reported) return;
      reported = true;
      handlers.onClose(closure);
    };
    socket.on('message', (data) => {
      if (closedByCaller) return;
      let message: StreamMessage;
      try {
        message = JSON.parse(String(data)) as StreamMessage;
      } catch {
        socket.terminate();
        report({ code: 1007, message: 'the relay sent a frame that is not JSON' });
        return;
      }
      handlers.onMessage(message);
    });
    socket.on('unexpected-response', (_request, response: IncomingMessage) => {
      readProblemDetail(response, this.options.requestTimeoutMs).then((detail) => {
        const reason = `the relay refused the stream: HTTP ${response.statusCode ?? 0}${detail ? ` (${detail})` : ''}`;
        report({ status: response.statusCode ?? 0, message: reason });
        socket.terminate();
      });
    });
    socket.on('error', (error) => report({ message: error.message }));
    socket.on('close', (code, reason) => {
      report({ code, message: reason.length > 0 ? reason.toString() : `connection closed (${code})` });
    });
    return {
      close() {
        closedByCaller = true;
        if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
        else socket.close(1000);
      },
    };
  }

  async sendUsage(batch: UsageBatch): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${this.options.relayUrl.replace(/^ws/, 'http')}/api/v1/usage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.sdkKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
    } catch (error) {
      throw new SwitchyardTransportError(`could not reach the relay: ${String(error)}`, true, { cause: error });
    }
    if (response.ok) return;
    const body = await response.text().catch(() => '');
    throw transportErrorForStatus(
      response.status,
      `POST /api/v1/usage answered HTTP ${response.status}${detailOf(body) ? `: ${detailOf(body)}` : ''}`,
      parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    );
  }
}

function readProblemDetail(response: IncomingMessage, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    timer.unref?.();
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (body.length < MAX_ERROR_BODY_BYTES) body += chunk;
    });
    response.on('end', () => {
      clearTimeout(timer);
      resolve(detailOf(body));
    });
    response.on('error', () => resolve(undefined));
  });
}

function detailOf(body: string): string | undefined {
  try {
    const problem = JSON.parse(body) as { detail?: unknown; title?: unknown };
    const text = problem.detail ?? problem.title;
    return typeof text === 'string' ? text : undefined;
  } catch {
    return body.trim() === '' ? undefined : body.slice(0, 200);
  }
}
