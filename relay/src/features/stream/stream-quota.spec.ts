import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';
import { REALTIME_DEFAULTS } from '../sync/realtime-settings.js';
import type { StreamLimits } from './stream-limits.js';

/** Opens a websocket stream with the key in the header: the socket, or the refusal's status and Retry-After. */
function openStream(t: TestRelay, key: string): Promise<{ socket?: WebSocket; status?: number; retryAfter?: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/stream`, {
      headers: { authorization: `Bearer ${key}` },
    });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) =>
      resolve({ status: response.statusCode, retryAfter: response.headers['retry-after'] }),
    );
  });
}

describe('streams per client address and per key', () => {
  let t: TestRelay;
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate();
    await t.stop();
  });

  async function start(stream: Partial<StreamLimits>): Promise<void> {
    t = await startTestRelay({
      realtime: { ...REALTIME_DEFAULTS, stream: { ...REALTIME_DEFAULTS.stream, ...stream } },
    });
  }

  async function opened(key: string) {
    const answer = await openStream(t, key);
    if (answer.socket) sockets.push(answer.socket);
    return answer;
  }

  it('when one address holds SWITCHYARD_STREAM_MAX_PER_ADDRESS streams, then its next stream gets 503 with Retry-After, whatever the key, until one closes', async () => {
    await start({ maxPerAddress: 2 });
    const [a, b] = [await t.keyFor('client', 'production'), await t.keyFor('server', 'production')];
    expect((await opened(a)).socket).toBeDefined();
    expect((await opened(b)).socket).toBeDefined();
    const refused = await opened(a);
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    const first = sockets.shift()!;
    first.close();
    await expect.poll(async () => (await opened(a)).socket, { timeout: 10_000, interval: 20 }).toBeDefined();
  });

  it('when no limit per key is set, then one client key opens many streams; when SWITCHYARD_STREAM_MAX_PER_KEY is set, then a key beyond it is refused and others are not', async () => {
    await start({ maxPerAddress: 100 });
    const shared = await t.keyFor('client', 'production');
    for (let i = 0; i < 5; i++) expect((await opened(shared)).socket).toBeDefined();
    await t.stop();
    for (const socket of sockets.splice(0)) socket.terminate();

    await start({ maxPerAddress: 100, maxPerKey: 1 });
    const [one, other] = [await t.keyFor('client', 'production'), await t.keyFor('client', 'production')];
    expect((await opened(one)).socket).toBeDefined();
    expect((await opened(one)).status).toBe(503);
    expect((await opened(other)).socket).toBeDefined();
  });
});
