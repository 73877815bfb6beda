import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';

/** The event stream's status for this URL, its connection closed as soon as the status is known. */
async function streamStatus(url: string): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  controller.abort();
  return response.status;
}

describe('event-stream URLs the relay hands out', () => {
  let t: TestRelay;
  let serverKey: string;
  let clientKey: string;
  beforeAll(async () => {
    t = await startTestRelay();
    serverKey = await t.keyFor('server', 'production');
    clientKey = await t.keyFor('client', 'production');
  });
  afterAll(async () => {
    await t.stop();
  });

  async function advertised(key: string): Promise<string> {
    const bulk = await t.call('POST', '/ofrep/v1/evaluate/flags', { key, body: { context: {} } });
    expect(bulk.status).toBe(200);
    return bulk.body.eventStreams[0].endpoint.requestUri as string;
  }

  it('when a server key evaluates in bulk, then the advertised stream URL carries a stream token, never the key, and opens the stream', async () => {
    const uri = await advertised(serverKey);
    expect(uri).not.toContain(serverKey);
    expect(uri).not.toContain(serverKey.split('_').at(-1));
    expect(uri).toMatch(/^\/ofrep\/v1\/event-stream\?token=sy_stream_/);
    expect(await streamStatus(`${t.url}${uri}`)).toBe(200);
    expect(await advertised(serverKey)).toBe(uri);
  });

  it('when a stream token is used anywhere but the event stream, or altered, then it is refused', async () => {
    const token = new URL(`${t.url}${await advertised(serverKey)}`).searchParams.get('token')!;
    expect((await t.call('POST', '/ofrep/v1/evaluate/flags', { key: token, body: { context: {} } })).status).toBe(401);
    expect((await t.call('GET', `/api/v1/feature-flags?token=${token}`, { key: null })).status).toBe(401);
    const altered = token.replace(/_(\d+)_/, (_, expiry: string) => `_${Number(expiry) + 1}_`);
    expect(await streamStatus(`${t.url}/ofrep/v1/event-stream?token=${altered}`)).toBe(401);
  });

  it('when the server key is revoked, then its stream token no longer opens the stream', async () => {
    const key = await t.call<{ id: string; key: string }>('POST', '/api/v1/api-keys', {
      body: { name: 'revoked-server', role: 'server', environment: 'production' },
    });
    const uri = await advertised(key.body.key);
    await t.call('DELETE', `/api/v1/api-keys/${key.body.id}`);
    expect(await streamStatus(`${t.url}${uri}`)).toBe(401);
  });

  it('when a client key evaluates in bulk, then the URL names the client key, which pages hold anyway', async () => {
    expect(await advertised(clientKey)).toBe(`/ofrep/v1/event-stream?key=${encodeURIComponent(clientKey)}`);
  });
});
