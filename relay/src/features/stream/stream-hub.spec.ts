import type { StreamMessage } from '@switchyard/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FlagChangeRecord, StoredFlag } from '../../store/store.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { FlagMap } from '../flags/flag-map.js';
import type { StreamConnection } from './stream-connection.js';
import { StreamHub } from './stream-hub.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './stream-limits.js';
import { FlagVisibility } from '../flags/flag-environments.js';

class FakeConnection implements StreamConnection {
  readonly sent: StreamMessage[] = [];
  bufferedAmount = 0;
  pings = 0;
  closedWith: number | undefined;
  terminated = false;
  send(frame: Buffer): void {
    this.sent.push(JSON.parse(frame.toString('utf8')) as StreamMessage);
  }
  ping(): void {
    this.pings += 1;
  }
  close(code: number): void {
    this.closedWith = code;
  }
  terminate(): void {
    this.terminated = true;
  }
}

function stored(name: string, revision: number, environments?: StoredFlag['environments']): StoredFlag {
  const flag = sampleFlag(name, environments ? { environments } : {});
  return { ...flag, version: revision, revision, createdAt: 'then', updatedAt: 'now' };
}

function upsert(flag: StoredFlag): FlagChangeRecord {
  return { revision: flag.revision, flagName: flag.name, kind: 'upsert', flag, at: 'now' };
}

describe('StreamHub', () => {
  let flagMap: FlagMap;
  let hub: StreamHub;
  const limits: StreamLimits = { ...DEFAULT_STREAM_LIMITS, backlogSize: 3, maxBufferedBytes: 1000, maxConnections: 5 };

  function change(record: FlagChangeRecord): void {
    const applied = flagMap.apply(record);
    if (applied) hub.publish([applied]);
  }

  beforeEach(() => {
    flagMap = new FlagMap();
    flagMap.load(
      [stored('checkout', 1), stored('staging-only', 2, { staging: stored('x', 0).environments.production! })],
      2,
    );
    hub = new StreamHub(flagMap, new FlagVisibility(true), limits);
  });

  it('when a server key connects without since, then it gets hello and a snapshot of its environment only', () => {
    const connection = new FakeConnection();
    hub.attach(connection, { role: 'server', environment: 'production' });
    expect(connection.sent.map((m) => m.type)).toEqual(['hello', 'snapshot']);
    const snapshot = connection.sent[1];
    if (snapshot?.type !== 'snapshot') throw new Error('expected a snapshot');
    expect(snapshot.revision).toBe(2);
    expect(snapshot.flags.map((f) => f.name)).toEqual(['checkout']);
    expect(Object.keys(snapshot.flags[0]!.environments)).toEqual(['production']);
  });

  it('when a flag changes, then server streams of its environment get the whole flag and others nothing', () => {
    const production = new FakeConnection();
    const staging = new FakeConnection();
    hub.attach(production, { role: 'server', environment: 'production' });
    hub.attach(staging, { role: 'server', environment: 'staging' });
    change(upsert(stored('checkout', 3)));
    expect(production.sent[2]).toMatchObject({
      type: 'changes',
      revision: 3,
      changes: [{ kind: 'upsert', revision: 3, flag: { name: 'checkout', version: 3 } }],
    });
    expect(staging.sent).toHaveLength(2);
  });

  it('when a flag stops being configured for an environment, then its streams get a delete', () => {
    const connection = new FakeConnection();
    hub.attach(connection, { role: 'server', environment: 'production' });
    change(upsert(stored('checkout', 3, {})));
    expect(connection.sent[2]).toMatchObject({ changes: [{ kind: 'delete', flagName: 'checkout' }] });
  });

  it('when a client key streams, then no message carries any configuration, only names', () => {
    const connection = new FakeConnection();
    hub.attach(connection, { role: 'client', environment: 'production' });
    change(upsert(stored('checkout', 3)));
    change({ revision: 4, flagName: 'checkout', kind: 'delete', at: 'now' });
    const reconnected = new FakeConnection();
    hub.attach(reconnected, { role: 'client', environment: 'production', since: 2 });
    const all = [...connection.sent, ...reconnected.sent];
    expect(all.map((m) => m.type)).toEqual([
      'hello',
      'flags-changed',
      'flags-changed',
      'flags-changed',
      'hello',
      'flags-changed',
    ]);
    expect(all[1]).toMatchObject({ all: true, flagNames: ['checkout'] });
    expect(all[2]).toEqual({ type: 'flags-changed', environment: 'production', revision: 3, flagNames: ['checkout'] });
    const text = JSON.stringify(all);
    for (const secret of ['rules', 'environments', 'percentage', 'fallthrough', 'variants', 'flags"']) {
      expect(text).not.toContain(secret);
    }
  });

  it('when a server reconnects with a revision the backlog covers, then it gets only what it missed, once per flag', () => {
    change(upsert(stored('checkout', 3)));
    change(upsert(stored('banner', 4)));
    change(upsert(stored('checkout', 5)));
    const connection = new FakeConnection();
    hub.attach(connection, { role: 'server', environment: 'production', since: 3 });
    expect(connection.sent[1]).toMatchObject({
      type: 'changes',
      revision: 5,
      changes: [
        { kind: 'upsert', revision: 4, flag: { name: 'banner' } },
        { kind: 'upsert', revision: 5, flag: { name: 'checkout', version: 5 } },
      ],
    });
  });

  it('when a flag left the environment and then changed elsewhere while a server was away, then its resume carries the delete', () => {
    const config = stored('x', 0).environments.production!;
    change(upsert(stored('checkout', 3, { staging: config })));
    change(upsert(stored('checkout', 4, { staging: { ...config, enabled: false } })));
    const connection = new FakeConnection();
    hub.attach(connection, { role: 'server', environment: 'production', since: 2 });
    expect(connection.sent[1]).toEqual({
      type: 'changes',
      environment: 'production',
      revision: 4,
      changes: [{ kind: 'delete', revision: 4, flagName: 'checkout' }],
    });
  });

  it('when a flag was added to the environment and changed again while a server was away, then its resume carries one upsert', () => {
    const config = stored('x', 0).environments.production!;
    change(upsert(stored('staging-only', 3, { staging: config, production: config })));
    change(upsert(stored('staging-only', 4, { staging: config, production: { ...config, enabled: false } })));
    const connection = new FakeConnection();
    hub.attach(connection, { role: 'server', environment: 'production', since: 2 });
    expect(connection.sent[1]).toMatchObject({
      type: 'changes',
      revision: 4,
      changes: [{ kind: 'upsert', revision: 4, flag: { name: 'staging-only' } }],
    });
  });

  it('when a server reconnects at the current revision, then it gets an empty changes message', () => {
    const connection = new FakeConnection();
    hub.attach(connection, { role: 'server', environment: 'production', since: 2 });
    expect(connection.sent[1]).toEqual({ type: 'changes', environment: 'production', revision: 2, changes: [] });
  });

  it('when a server reconnects from before the backlog, then it gets a fresh snapshot', () => {
    for (let revision = 3; revision <= 7; revision += 1) change(upsert(stored('checkout', revision)));
    const connection = new FakeConnection();
    hub.attach(connection, { role: 'server', environment: 'production', since: 3 });
    expect(connection.sent[1]).toMatchObject({ type: 'snapshot', revision: 7 });
  });

  it('when a client claims a revision the relay has not reached, then it gets a snapshot', () => {
    const connection = new FakeConnection();
    hub.attach(connection, { role: 'server', environment: 'production', since: 99 });
    expect(connection.sent[1]).toMatchObject({ type: 'snapshot', revision: 2 });
  });

  it('when a stream misses a pong, then the next heartbeat terminates it and keeps the live ones', () => {
    const dead = new FakeConnection();
    const live = new FakeConnection();
    hub.attach(dead, { role: 'server', environment: 'production' });
    const liveSession = hub.attach(live, { role: 'client', environment: 'production' });
    hub.heartbeat();
    liveSession.markAlive();
    hub.heartbeat();
    expect(dead.terminated).toBe(true);
    expect(live.terminated).toBe(false);
    expect(live.pings).toBe(2);
    expect(live.sent.at(-1)).toEqual({ type: 'heartbeat', revision: 2 });
    expect(hub.stats()).toMatchObject({ connections: 1, deadConnectionsTerminated: 1 });
  });

  it('when the key of an open stream is no longer valid, then the next heartbeat closes it with 4401', async () => {
    const revoked = new FakeConnection();
    const valid = new FakeConnection();
    hub.attach(revoked, { role: 'server', environment: 'production', stillAuthorized: async () => false });
    hub.attach(valid, { role: 'server', environment: 'production', stillAuthorized: async () => true });
    hub.heartbeat();
    await new Promise((resolve) => setImmediate(resolve));
    expect(revoked.closedWith).toBe(4401);
    expect(valid.closedWith).toBeUndefined();
    expect(hub.stats().connections).toBe(1);
  });

  it('when a stream buffers more than the limit, then it is closed with 4008 and sent nothing more', () => {
    const slow = new FakeConnection();
    hub.attach(slow, { role: 'server', environment: 'production' });
    slow.bufferedAmount = limits.maxBufferedBytes + 1;
    change(upsert(stored('checkout', 3)));
    change(upsert(stored('checkout', 4)));
    expect(slow.closedWith).toBe(4008);
    expect(slow.sent).toHaveLength(2);
    expect(hub.stats()).toMatchObject({ connections: 0, slowConsumersClosed: 1 });
  });

  it('when the relay holds its maximum of streams, then new ones are refused with 4429', () => {
    for (let i = 0; i < limits.maxConnections; i += 1) {
      hub.attach(new FakeConnection(), { role: 'client', environment: 'production' });
    }
    expect(hub.refusal()).toMatchObject({ code: 4429 });
  });

  it('when the flags were never loaded, then new streams are refused with 4503', () => {
    expect(new StreamHub(new FlagMap(), new FlagVisibility(true), limits).refusal()).toMatchObject({ code: 4503 });
  });
});

describe('StreamHub after a reload', () => {
  it('when the flag map is reloaded, then server streams get a snapshot, client streams re-fetch all, and old revisions no longer resume', () => {
    const flagMap = new FlagMap();
    flagMap.load([stored('checkout', 1)], 1);
    const hub = new StreamHub(flagMap, new FlagVisibility(true), DEFAULT_STREAM_LIMITS);
    const server = new FakeConnection();
    const client = new FakeConnection();
    hub.attach(server, { role: 'server', environment: 'production' });
    hub.attach(client, { role: 'client', environment: 'production' });
    flagMap.load([stored('checkout', 1), stored('banner', 9)], 9);
    hub.reloaded();
    expect(server.sent[2]).toMatchObject({ type: 'snapshot', revision: 9 });
    expect(client.sent[2]).toMatchObject({ type: 'flags-changed', all: true, flagNames: ['checkout', 'banner'] });
    const resumed = new FakeConnection();
    hub.attach(resumed, { role: 'server', environment: 'production', since: 1 });
    expect(resumed.sent[1]).toMatchObject({ type: 'snapshot' });
  });
});
