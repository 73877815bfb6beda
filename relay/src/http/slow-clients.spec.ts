import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

const MAX_CONNECTIONS = 3;

/** A connection to the relay that has sent `text` and collects what comes back until the relay closes it. */
async function openSocket(
  t: TestRelay,
  text = '',
): Promise<{ socket: Socket; received: () => string; closed: Promise<unknown> }> {
  const { hostname, port } = new URL(t.url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const closed = once(socket, 'close');
  if (text !== '') socket.write(text);
  return { socket, received: () => received, closed };
}

describe('slow and greedy clients', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay({
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      maxConnectionsPerAddress: MAX_CONNECTIONS,
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a client never finishes its headers, then the relay answers 408 and closes the connection', async () => {
    const slow = await openSocket(t, 'GET /healthz HTTP/1.1\r\nHost: relay\r\nX-Slow: ');
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('when a client never finishes its body, then the relay answers 408 and closes the connection', async () => {
    const headers = `Host: relay\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Type: application/json\r\nContent-Length: 100`;
    const slow = await openSocket(t, `POST /api/v1/feature-flags/evaluate HTTP/1.1\r\n${headers}\r\n\r\n{"flag`);
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('when one address holds the most connections allowed, then the next is answered 503 with Retry-After, and health answers again once they close', async () => {
    const held = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) held.push(await openSocket(t));
    const refused = await openSocket(t, 'GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n');
    await refused.closed;
    expect(refused.received()).toMatch(/^HTTP\/1\.1 503/);
    expect(refused.received()).toMatch(/\r\nRetry-After: \d+\r\n/);
    expect(refused.received()).toContain('SWITCHYARD_MAX_CONNECTIONS_PER_ADDRESS');
    for (const connection of held) connection.socket.destroy();
    await Promise.all(held.map((connection) => connection.closed));
    // The relay sees the closes a moment after the client does: health answers once it has.
    await expect
      .poll(async () => (await t.call('GET', '/healthz', { key: null })).status, { timeout: 10_000, interval: 20 })
      .toBe(200);
    const metrics = await t.call('GET', '/metrics', { key: null });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^switchyard_connections_refused_total 1$/m);
  });
});
