import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallerResolver } from '../../http/caller-resolver.js';
import type { Principal } from '../../http/route.js';
import { JobRunner } from '../../jobs/job-runner.js';
import type { StoredFlag } from '../../store/store.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FlagMap } from '../flags/flag-map.js';
import { attachStreamEndpoint } from './stream-endpoint.js';
import { StreamHub } from './stream-hub.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './stream-limits.js';
import { StreamTestClient } from './stream-test-client.js';
import { FlagVisibility } from '../flags/flag-environments.js';

const KEYS: Record<string, Principal> = {
  'server-secret': { keyId: 's', name: 'server', role: 'server', environment: 'production' },
  'client-secret': { keyId: 'c', name: 'client', role: 'client', environment: 'production' },
  'viewer-secret': { keyId: 'v', name: 'viewer', role: 'viewer' },
};

function stored(name: string, revision: number, description = 'd'): StoredFlag {
  return { ...sampleFlag(name), description, version: revision, revision, createdAt: 'then', updatedAt: 'now' };
}

describe('GET /api/v1/stream', () => {
  let server: Server;
  let flagMap: FlagMap;
  let hub: StreamHub;
  let heartbeats: JobRunner;
  let url: string;
  const clients: StreamTestClient[] = [];

  async function start(limits: Partial<StreamLimits> = {}): Promise<void> {
    flagMap = new FlagMap();
    flagMap.load([stored('checkout', 1)], 1);
    hub = new StreamHub(flagMap, new FlagVisibility(true), { ...DEFAULT_STREAM_LIMITS, ...limits });
    server = createServer((_request, response) => response.writeHead(404).end());
    attachStreamEndpoint(server, {
      hub,
      callers: new CallerResolver({
        authenticate: async (secret) => KEYS[secret],
        authenticateStreamToken: async () => undefined,
      }),
      defaultEnvironment: 'production',
      maxPayloadBytes: 1024,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { heartbeatIntervalMs } = { ...DEFAULT_STREAM_LIMITS, ...limits };
    heartbeats = new JobRunner([
      { name: 'heartbeats', everyMs: heartbeatIntervalMs, run: async () => hub.heartbeat() },
    ]);
    heartbeats.start();
  }

  function connect(options: ConstructorParameters<typeof StreamTestClient>[1]): StreamTestClient {
    const client = new StreamTestClient(url, options);
    clients.push(client);
    return client;
  }

  function publish(flag: StoredFlag): void {
    const applied = flagMap.apply({ revision: flag.revision, flagName: flag.name, kind: 'upsert', flag, at: 'now' });
    if (applied) hub.publish([applied]);
  }

  beforeEach(() => {
    clients.length = 0;
  });
  afterEach(async () => {
    for (const client of clients) client.close();
    await heartbeats.stop();
    hub.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('when a server key connects by header, then it receives hello and the snapshot', async () => {
    await start();
    const client = connect({ key: 'server-secret' });
    const snapshot = await client.waitFor((m) => m.type === 'snapshot');
    expect(client.messages[0]).toMatchObject({ type: 'hello', role: 'server', environment: 'production', revision: 1 });
    expect(snapshot).toMatchObject({ revision: 1, flags: [{ name: 'checkout' }] });
  });

  it('when a key in the header is unknown, then the upgrade is refused with HTTP 401', async () => {
    await start();
    expect(await connect({ key: 'nope' }).refused).toBe(401);
  });

  it('when a key in the query is unknown, then the socket opens and closes with 4401', async () => {
    await start();
    expect((await connect({ key: 'nope', viaQuery: true }).closed).code).toBe(4401);
  });

  it('when no key is sent, then the socket closes with 4401', async () => {
    await start();
    expect((await connect({}).closed).code).toBe(4401);
  });

  it('when a viewer key asks to stream, then it is refused (403 by header, 4403 by query)', async () => {
    await start();
    expect(await connect({ key: 'viewer-secret' }).refused).toBe(403);
    expect((await connect({ key: 'viewer-secret', viaQuery: true }).closed).code).toBe(4403);
  });

  it('when since is not a revision, then it is refused with 400 / 4400', async () => {
    await start();
    expect(await connect({ key: 'server-secret', since: -1 }).refused).toBe(400);
    expect((await connect({ key: 'client-secret', viaQuery: true, since: 1.5 }).closed).code).toBe(4400);
  });

  it('when a client key connects by query, then it gets flag names and never a configuration', async () => {
    await start();
    const client = connect({ key: 'client-secret', viaQuery: true });
    await client.waitFor((m) => m.type === 'flags-changed');
    publish(stored('checkout', 2));
    await client.waitFor((m) => m.type === 'flags-changed' && m.revision === 2);
    expect(client.messages.map((m) => m.type)).toEqual(['hello', 'flags-changed', 'flags-changed']);
    expect(JSON.stringify(client.messages)).not.toMatch(/rules|environments|percentage|fallthrough/);
  });

  it('when a peer stops answering pings, then the relay terminates its connection', async () => {
    await start({ heartbeatIntervalMs: 100 });
    const silent = connect({ key: 'server-secret', autoPong: false });
    const live = connect({ key: 'server-secret' });
    await silent.waitFor((m) => m.type === 'snapshot');
    await live.waitFor((m) => m.type === 'snapshot');
    expect((await silent.closed).code).toBe(1006);
    expect(hub.stats().deadConnectionsTerminated).toBeGreaterThanOrEqual(1);
    await live.waitFor((m) => m.type === 'heartbeat');
    expect(live.socket.readyState).toBe(live.socket.OPEN);
  });

  it('when a consumer stops reading, then past the buffer limit it is closed with 4008 and can resync', async () => {
    await start({ maxBufferedBytes: 64 * 1024 });
    const slow = connect({ key: 'server-secret' });
    await slow.waitFor((m) => m.type === 'snapshot');
    const rawSocket = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    rawSocket.pause();
    const big = 'x'.repeat(256 * 1024);
    for (let revision = 2; hub.stats().slowConsumersClosed === 0 && revision < 2000; revision += 1) {
      publish(stored('checkout', revision, big));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hub.stats()).toMatchObject({ slowConsumersClosed: 1, connections: 0 });
    rawSocket.resume();
    expect((await slow.closed).code).toBe(4008);
    const resumed = connect({ key: 'server-secret', since: slow.revision! });
    const catchUp = await resumed.waitFor((m) => m.type === 'changes' || m.type === 'snapshot');
    expect(catchUp.revision).toBe(flagMap.revision);
  });
});
