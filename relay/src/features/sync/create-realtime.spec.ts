import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flag } from '@switchyard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallerResolver } from '../../http/caller-resolver.js';
import type { Principal } from '../../http/route.js';
import { FileStore } from '../../store/file/file-store.js';
import type { StoredFlag } from '../../store/store.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { StreamTestClient } from '../stream/stream-test-client.js';
import { createRealtime, type Realtime } from './create-realtime.js';
import { REALTIME_DEFAULTS, type RealtimeSettings } from './realtime-settings.js';
import { FlagVisibility } from '../flags/flag-environments.js';

const KEYS: Record<string, Principal> = {
  server: { keyId: 's', name: 'server', role: 'server', environment: 'production' },
  client: { keyId: 'c', name: 'client', role: 'client', environment: 'production' },
};

describe('realtime on a real store and real sockets', { timeout: 60_000 }, () => {
  let dataDir: string;
  let store: FileStore;
  let server: Server;
  let realtime: Realtime;
  let url: string;
  const clients: StreamTestClient[] = [];

  async function start(settings: Partial<RealtimeSettings> = {}): Promise<void> {
    realtime = createRealtime({
      store,
      settings: { ...REALTIME_DEFAULTS, ...settings },
      defaultEnvironment: 'production',
      callers: new CallerResolver({
        authenticate: async (secret) => KEYS[secret],
        authenticateStreamToken: async () => undefined,
      }),
      visibility: new FlagVisibility(true),
    });
    server = createServer((_request, response) => response.writeHead(404).end());
    realtime.attach(server);
    await realtime.start();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  function connect(options: ConstructorParameters<typeof StreamTestClient>[1]): StreamTestClient {
    const client = new StreamTestClient(url, options);
    clients.push(client);
    return client;
  }

  /** Writes as the flags service does: store, then the sync reads it. */
  async function write(flag: Flag, version?: number): Promise<StoredFlag> {
    const stored = version === undefined ? await store.flags.create(flag) : await store.flags.update(flag, version);
    void realtime.sync.pollNow();
    return stored;
  }

  beforeEach(async () => {
    clients.length = 0;
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-realtime-'));
    store = await FileStore.open({ dataDir });
  });
  afterEach(async () => {
    for (const client of clients) client.close();
    await realtime.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when a server stream reconnects with since, then it receives exactly the changes it missed', async () => {
    await start();
    const first = await write(sampleFlag('checkout'));
    const before = connect({ key: 'server' });
    await before.waitFor((m) => m.type === 'snapshot' && m.revision === first.revision);
    before.close();
    const edited = await write({ ...first, description: 'edited while away' }, first.version);
    await write(sampleFlag('banner'));
    const after = connect({ key: 'server', since: first.revision });
    const replay = await after.waitFor((m) => m.type === 'changes');
    if (replay.type !== 'changes') throw new Error('expected changes');
    expect(replay.changes.map((c) => [c.revision, c.kind === 'upsert' ? c.flag.name : c.flagName])).toEqual([
      [edited.revision, 'checkout'],
      [edited.revision + 1, 'banner'],
    ]);
    expect(after.messages.map((m) => m.type)).toEqual(['hello', 'changes']);
  });

  it('when a stream is further behind than the backlog, then it receives a fresh snapshot', async () => {
    await start({ stream: { ...REALTIME_DEFAULTS.stream, backlogSize: 2 } });
    let flag = await write(sampleFlag('checkout'));
    const early = connect({ key: 'server' });
    await early.waitFor((m) => m.type === 'snapshot');
    early.close();
    for (let i = 0; i < 4; i += 1) flag = await write({ ...flag, description: `edit ${i}` }, flag.version);
    const late = connect({ key: 'server', since: early.revision! });
    const catchUp = await late.waitFor((m) => m.type === 'snapshot' || m.type === 'changes');
    expect(catchUp).toMatchObject({ type: 'snapshot', revision: flag.revision, flags: [{ description: 'edit 3' }] });
  });

  it('when a client comes from a relay further ahead, then this relay catches up first and resumes it', async () => {
    await start({ sync: { intervalMs: 60_000, batchSize: 500 } });
    // Written by "another relay": this one is not told and will not poll for a minute.
    const elsewhere = await store.flags.create(sampleFlag('made-elsewhere'));
    expect(realtime.flagMap.revision).toBeLessThan(elsewhere.revision);
    const client = connect({ key: 'server', since: elsewhere.revision });
    const catchUp = await client.waitFor((m) => m.type === 'snapshot' || m.type === 'changes');
    expect(catchUp).toEqual({ type: 'changes', environment: 'production', revision: elsewhere.revision, changes: [] });
  });

  it('when flags change, then a client-key stream learns only their names', async () => {
    await start();
    const client = connect({ key: 'client', viaQuery: true });
    await client.waitFor((m) => m.type === 'flags-changed');
    const flag = await write(sampleFlag('checkout', { description: 'secret plans' }));
    await client.waitFor((m) => m.type === 'flags-changed' && m.revision === flag.revision);
    const text = JSON.stringify(client.messages);
    expect(text).toContain('"flagNames":["checkout"]');
    expect(text).not.toMatch(/secret plans|rules|environments|percentage|variants/);
  });
});
