import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamMessage, UsageBatch } from '@switchyard/protocol';
import type { StreamClosure } from './switchyard-transport.js';
import { RelayTransport } from './relay-transport.js';
import {
  SwitchyardHttpError,
  SwitchyardTooManyRequestsError,
  SwitchyardTransportError,
  SwitchyardUnauthorizedError,
} from '@switchyard/protocol';

/** A stand-in for the relay's two endpoints, so the transport's wire handling is tested over real sockets. */
interface StubRelay {
  url: string;
  requests: Array<{ url: string; authorization: string | undefined; body?: string }>;
  onUsage: (response: ServerResponse) => void;
  onUpgrade: (
    request: IncomingMessage,
    socket: WebSocket | undefined,
    refuse: (status: number, detail: string) => void,
  ) => void;
  close(): Promise<void>;
}

const servers: Server[] = [];

async function stubRelay(): Promise<StubRelay> {
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer();
  servers.push(server);
  const stub: StubRelay = {
    url: '',
    requests: [],
    onUsage: (response) => response.writeHead(202).end(),
    onUpgrade: () => {},
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  server.on('request', (request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      stub.requests.push({ url: request.url ?? '', authorization: request.headers.authorization, body });
      stub.onUsage(response);
    });
  });
  server.on('upgrade', (request, socket, head) => {
    stub.requests.push({ url: request.url ?? '', authorization: request.headers.authorization });
    let refused = false;
    stub.onUpgrade(request, undefined, (status, detail) => {
      refused = true;
      const body = JSON.stringify({ type: 'about:blank', title: 'Refused', status, detail });
      socket.end(
        `HTTP/1.1 ${status} Refused\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
    if (refused) return;
    wss.handleUpgrade(request, socket, head, (ws) => stub.onUpgrade(request, ws, () => {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

function collect(transport: RelayTransport, since?: number) {
  const messages: StreamMessage[] = [];
  let resolveClose: (closure: StreamClosure) => void = () => {};
  const closed = new Promise<StreamClosure>((resolve) => (resolveClose = resolve));
  const connection = transport.openStream(since, {
    onMessage: (message) => messages.push(message),
    onClose: resolveClose,
  });
  return { messages, closed, connection };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('RelayTransport stream', () => {
  it('when the relay accepts, then messages arrive parsed, the key is a bearer header and since is a query parameter', async () => {
    const relay = await stubRelay();
    relay.onUpgrade = (_request, socket) => {
      socket?.send(JSON.stringify({ type: 'heartbeat', revision: 4 }));
      socket?.close(1001, 'going away');
    };
    const { messages, closed } = collect(
      new RelayTransport({ relayUrl: relay.url, sdkKey: 'sk-1', requestTimeoutMs: 2_000 }),
      3,
    );
    expect(await closed).toEqual({ code: 1001, message: 'going away' });
    expect(messages).toEqual([{ type: 'heartbeat', revision: 4 }]);
    expect(relay.requests[0]).toEqual({ url: '/api/v1/stream?since=3', authorization: 'Bearer sk-1' });
  });

  it('when the relay refuses the upgrade, then the closure carries the HTTP status and the problem detail', async () => {
    const relay = await stubRelay();
    relay.onUpgrade = (_request, _socket, refuse) => refuse(401, 'unknown or revoked API key');
    const { closed } = collect(new RelayTransport({ relayUrl: relay.url, sdkKey: 'bad', requestTimeoutMs: 2_000 }));
    const closure = await closed;
    expect(closure.status).toBe(401);
    expect(closure.message).toMatch(/unknown or revoked API key/);
  });

  it('when nothing listens, then the closure reports the network error', async () => {
    const relay = await stubRelay();
    await relay.close();
    const { closed } = collect(new RelayTransport({ relayUrl: relay.url, sdkKey: 'sk', requestTimeoutMs: 2_000 }));
    const closure = await closed;
    expect(closure.status).toBeUndefined();
    expect(closure.message).toMatch(/ECONNREFUSED/);
  });
});

describe('RelayTransport usage', () => {
  const batch: UsageBatch = {
    environment: 'production',
    events: [{ name: 'conversion', timestamp: '2026-01-01T00:00:00.000Z' }],
  };

  it('when a batch is sent, then it is POSTed as JSON with the key', async () => {
    const relay = await stubRelay();
    await new RelayTransport({ relayUrl: relay.url, sdkKey: 'sk-1', requestTimeoutMs: 2_000 }).sendUsage(batch);
    expect(relay.requests[0]).toEqual({
      url: '/api/v1/usage',
      authorization: 'Bearer sk-1',
      body: JSON.stringify(batch),
    });
  });

  it.each([
    [401, SwitchyardUnauthorizedError, false, undefined],
    [400, SwitchyardHttpError, false, 2_000],
    [429, SwitchyardTooManyRequestsError, true, 2_000],
    [503, SwitchyardHttpError, true, 2_000],
  ])(
    'when the relay answers %i, then a %o with retriable=%s and retryAfterMs=%s',
    async (status, type, retriable, retryAfterMs) => {
      const relay = await stubRelay();
      relay.onUsage = (response) => response.writeHead(status, { 'retry-after': '2' }).end('{"detail":"nope"}');
      const sending = new RelayTransport({ relayUrl: relay.url, sdkKey: 'sk', requestTimeoutMs: 2_000 }).sendUsage(
        batch,
      );
      const error = await sending.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({ status, retriable, retryAfterMs, message: expect.stringContaining('nope') });
    },
  );

  it('when the relay cannot be reached, then a retriable transport error', async () => {
    const relay = await stubRelay();
    await relay.close();
    const error = await new RelayTransport({ relayUrl: relay.url, sdkKey: 'sk', requestTimeoutMs: 2_000 })
      .sendUsage(batch)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SwitchyardTransportError);
    expect(error).toMatchObject({ retriable: true });
  });
});
