import type { EvaluationContext } from '@openfeature/web-sdk';
import {
  Backoff,
  parseRetryAfter,
  SwitchyardTransportError,
  transportErrorForStatus,
  type SwitchyardHttpError,
  type UsageBatch,
} from '@switchyard/protocol';
import { openChangeStream, type WebSocketFactory } from './change-stream.js';
import { toFlagValues } from './flag-values.js';
import {
  reconnectBackoff,
  resolveOptions,
  type ResolvedWebProviderOptions,
  type SwitchyardWebProviderOptions,
} from './options.js';
import type { ChangeStream, ChangeStreamHandlers, ValuesAnswer, WebTransport } from './transport.js';

/**
 * The default transport: the relay's OFREP bulk endpoint for values (one protocol for our
 * provider and official OFREP clients), its websocket for change notifications, and
 * `POST /api/v1/usage` for usage. Browser APIs only: fetch, WebSocket.
 */
export class RelayTransport implements WebTransport {
  private readonly options: ResolvedWebProviderOptions;

  constructor(
    options: SwitchyardWebProviderOptions,
    private readonly fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
    private readonly WebSocketImpl: WebSocketFactory | undefined = globalThis.WebSocket,
  ) {
    this.options = resolveOptions(options);
  }

  async fetchValues(context: EvaluationContext, etag: string | undefined, signal?: AbortSignal): Promise<ValuesAnswer> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.clientKey}`,
      'Content-Type': 'application/json',
    };
    if (etag) headers['If-None-Match'] = etag;
    const response = await this.request(
      '/ofrep/v1/evaluate/flags',
      {
        method: 'POST',
        headers,
        body: JSON.stringify({ context }),
      },
      signal,
    );
    if (response.status === 304) return { changed: false };
    if (!response.ok) throw await this.failure(response);
    return {
      changed: true,
      values: toFlagValues(await response.json()),
      etag: response.headers.get('ETag') ?? undefined,
    };
  }

  openChangeStream(handlers: ChangeStreamHandlers): ChangeStream | undefined {
    if (!this.options.stream || !this.WebSocketImpl) return undefined;
    const url = new URL(this.endpoint('/api/v1/stream'));
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('key', this.options.clientKey);
    const backoff = new Backoff(reconnectBackoff(this.options));
    return openChangeStream(url.href, handlers, backoff, this.WebSocketImpl);
  }

  async sendUsage(batch: UsageBatch, pageHidden: boolean): Promise<void> {
    // keepalive lets the request outlive a hiding page and, unlike sendBeacon, carries the key header.
    // A failure throws, so the tracker keeps the buffer for the next send.
    const response = await this.request('/api/v1/usage', {
      method: 'POST',
      keepalive: pageHidden,
      headers: { Authorization: `Bearer ${this.options.clientKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
    });
    if (!response.ok) throw await this.failure(response);
  }

  /** The relay URL may carry a path prefix (a relay behind a reverse proxy), so paths are appended. */
  private endpoint(path: string): string {
    return `${this.options.relayUrl}${path}`;
  }

  private async request(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    const timer = setTimeout(abort, this.options.requestTimeoutMs);
    signal?.addEventListener('abort', abort);
    if (signal?.aborted) abort();
    try {
      return await this.fetchImpl(this.endpoint(path), { ...init, signal: controller.signal });
    } catch (error) {
      throw new SwitchyardTransportError(`request to the relay failed: ${String(error)}`, true, { cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  }

  private async failure(response: Response): Promise<SwitchyardHttpError> {
    const detail = await response.text().catch(() => '');
    const message = `the relay answered ${response.status}${detail ? `: ${detail.slice(0, 200)}` : ''}`;
    const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), Date.now());
    return transportErrorForStatus(response.status, message, retryAfterMs);
  }
}
