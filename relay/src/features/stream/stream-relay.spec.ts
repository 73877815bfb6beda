import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';
import { REALTIME_DEFAULTS } from '../sync/realtime-settings.js';
import { StreamTestClient } from './stream-test-client.js';

const FLAGS = '/api/v1/feature-flags';

describe('the stream and the scheduler on a started relay', { timeout: 30_000 }, () => {
  let t: TestRelay;
  const clients: StreamTestClient[] = [];
  const open = (options: ConstructorParameters<typeof StreamTestClient>[1]): StreamTestClient => {
    const client = new StreamTestClient(t.url, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    t = await startTestRelay();
    const created = await t.call('POST', FLAGS, {
      body: {
        name: 'pushed',
        description: 'secret plans',
        type: 'boolean',
        environments: {
          production: {
            enabled: true,
            rules: [{ strategy: 'percentage', percentage: 10 }],
            fallthrough: { serve: false },
          },
        },
      },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t.stop();
  });

  it('when a server key streams and a flag is patched, then it gets the snapshot and the whole new flag', async () => {
    const stream = open({ key: await t.keyFor('server', 'production') });
    await stream.waitFor((m) => m.type === 'snapshot' && m.flags.some((f) => f.name === 'pushed'));
    const patched = await t.call('PATCH', `${FLAGS}/pushed?environment=production&force=true`, {
      body: { rolloutConfig: { percentage: 60 } },
    });
    expect(patched.status).toBe(200);
    const change = await stream.waitFor((m) => m.type === 'changes' && m.revision === patched.body.revision);
    expect(change).toMatchObject({
      changes: [
        { kind: 'upsert', flag: { name: 'pushed', environments: { production: { rules: [{ percentage: 60 }] } } } },
      ],
    });
  });

  it('when a client key streams by query, then it learns only flag names', async () => {
    const stream = open({ key: await t.keyFor('client', 'production'), viaQuery: true });
    await stream.waitFor((m) => m.type === 'flags-changed');
    const patched = await t.call('PATCH', `${FLAGS}/pushed?environment=production&force=true`, {
      body: { description: 'more secret plans' },
    });
    await stream.waitFor((m) => m.type === 'flags-changed' && m.revision === patched.body.revision);
    expect(JSON.stringify(stream.messages)).not.toMatch(/secret plans|rules|percentage|environments/);
  });

  it('when the key may not stream or is revoked, then the stream is refused', async () => {
    expect(await open({ key: await t.keyFor('viewer') }).refused).toBe(403);
    const created = await t.call('POST', '/api/v1/api-keys', {
      body: { name: 'revoked', role: 'server', environment: 'production' },
    });
    expect((await t.call('DELETE', `/api/v1/api-keys/${created.body.id}`)).status).toBeLessThan(300);
    expect((await open({ key: created.body.key, viaQuery: true }).closed).code).toBe(4401);
    expect(await open({ key: created.body.key }).refused).toBe(401);
  });

  it('when a gradual rollout is paused and resumed by PATCH, then the scheduler shows it and its period restarts at the resume', async () => {
    const startDate = new Date(Date.now() - 3_600_000).toISOString();
    await t.call('POST', FLAGS, {
      body: {
        name: 'ramp',
        description: 'gradual',
        type: 'boolean',
        environments: {
          production: {
            enabled: true,
            rules: [
              {
                strategy: 'gradual',
                percentage: 0,
                startDate,
                gradualIncrement: 5,
                gradualPeriodSeconds: 86_400,
                paused: true,
              },
            ],
            fallthrough: { serve: false },
          },
        },
      },
    });
    const viewer = await t.keyFor('viewer');
    const paused = await t.call('GET', '/api/v1/scheduler', { key: viewer });
    expect(paused.status).toBe(200);
    expect(paused.body.rollouts).toContainEqual(
      expect.objectContaining({ flagName: 'ramp', paused: true, due: false, nextStepAt: null }),
    );
    const before = Date.now();
    const resumed = await t.call('PATCH', `${FLAGS}/ramp?environment=production`, {
      body: { version: 1, rolloutConfig: { paused: false } },
    });
    const rule = resumed.body.environments.production.rules[0];
    expect(rule.paused).toBe(false);
    expect(Date.parse(rule.lastStepAt)).toBeGreaterThanOrEqual(before - 1000);
    const status = await t.call('GET', '/api/v1/scheduler', { key: viewer });
    expect(status.body.rollouts).toContainEqual(
      expect.objectContaining({
        flagName: 'ramp',
        paused: false,
        due: false,
        nextStepAt: new Date(Date.parse(rule.lastStepAt) + 86_400_000).toISOString(),
      }),
    );
    expect(status.body).toMatchObject({ cron: '* * * * *', flagsDue: [] });
    expect((await t.call('GET', '/api/v1/scheduler', { key: await t.keyFor('client', 'production') })).status).toBe(
      403,
    );
  });
});

describe('a key revoked while its stream is open', { timeout: 30_000 }, () => {
  it('when the key is revoked, then its open stream is closed with 4401 at the next heartbeat', async () => {
    const t = await startTestRelay({
      realtime: { ...REALTIME_DEFAULTS, stream: { ...REALTIME_DEFAULTS.stream, heartbeatIntervalMs: 200 } },
    });
    try {
      const created = await t.call('POST', '/api/v1/api-keys', {
        body: { name: 'soon-revoked', role: 'server', environment: 'production' },
      });
      const stream = new StreamTestClient(t.url, { key: created.body.key });
      await stream.waitFor((m) => m.type === 'snapshot');
      await t.call('DELETE', `/api/v1/api-keys/${created.body.id}`);
      expect((await stream.closed).code).toBe(4401);
    } finally {
      await t.stop();
    }
  });
});

describe('a relay shutting down with open streams', { timeout: 30_000 }, () => {
  it('when the relay stops, then its streams close with 1001 so clients reconnect elsewhere; /metrics counted them', async () => {
    const t = await startTestRelay();
    const stream = new StreamTestClient(t.url, { key: await t.keyFor('server', 'production') });
    await stream.waitFor((m) => m.type === 'snapshot');
    const metrics = await t.call('GET', '/metrics');
    expect(metrics.text).toMatch(/^switchyard_stream_connections 1$/m);
    expect(metrics.text).toMatch(/^switchyard_sync_store_reachable 1$/m);
    await t.stop();
    expect((await stream.closed).code).toBe(1001);
  });
});
