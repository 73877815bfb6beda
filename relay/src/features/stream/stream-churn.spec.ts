import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';
import { REALTIME_DEFAULTS } from '../sync/realtime-settings.js';

/** Streams one address may hold: each round below opens exactly this many, so a count left behind refuses the next round. */
const PER_ADDRESS = 4;
const ROUNDS = 10;

/**
 * Memory under churn (issue 17): streams of every kind that open and close, politely or not,
 * leave nothing behind in the relay — no connection in the hub, no count against the address.
 */
describe('streams that open and close, again and again', () => {
  let t: TestRelay;
  let keys: { client: string; server: string };

  beforeAll(async () => {
    t = await startTestRelay({
      realtime: { ...REALTIME_DEFAULTS, stream: { ...REALTIME_DEFAULTS.stream, maxPerAddress: PER_ADDRESS } },
    });
    keys = { client: await t.keyFor('client', 'production'), server: await t.keyFor('server', 'production') };
  });
  afterAll(() => t.stop());

  const openStreams = async (): Promise<number> => {
    const metrics = (await t.call('GET', '/metrics', { key: null })).text;
    return Number(/^switchyard_stream_connections (\d+)$/m.exec(metrics)?.[1]);
  };

  const websocket = (key: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/stream`, {
        headers: { authorization: `Bearer ${key}` },
      });
      socket.once('message', () => resolve(socket));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`refused: ${response.statusCode}`)));
    });

  const eventStream = (path: string, key: string) =>
    new Promise<ClientRequest>((resolve, reject) => {
      const req = request(`${t.url}${path}`, { headers: { authorization: `Bearer ${key}` } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`refused: ${res.statusCode}`));
        res.once('data', () => resolve(req));
        res.on('error', () => undefined);
      });
      req.on('error', () => undefined);
      req.end();
    });

  it('when websocket and server-sent-event streams open and close (or are dropped), then the relay holds none of them and the address may open as many again', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const sockets = [await websocket(keys.client), await websocket(keys.server)];
      const requests = [
        await eventStream('/ofrep/v1/event-stream', keys.client),
        await eventStream('/api/v1/flag-events', t.adminKey),
      ];
      expect(await openStreams()).toBe(PER_ADDRESS);
      // Half the rounds close politely, the other half drop the connections without a word.
      if (round % 2 === 0) sockets.forEach((socket) => socket.close(1000));
      else sockets.forEach((socket) => socket.terminate());
      requests.forEach((req) => req.destroy());
      while ((await openStreams()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await openStreams()).toBe(0);
  });
});
