import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  sampleGradualFlag,
  startMongoTestServer,
  StreamTestClient,
  uniqueDatabaseName,
  type MongoTestServer,
} from '@switchyard/relay/testing';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { eventually } from '../server-provider/wait-for.js';
import { api, secretOf } from './scaling-helpers.js';

const ROLLOUT_START = new Date();

describe('a relay whose database stops and comes back', { timeout: 180_000 }, () => {
  let database: MongoTestServer;
  let relay: StartedRelay;
  const adminKey = `sy_admin_${randomBytes(16).toString('hex')}`;
  let serverKey: string;
  let clientKey: string;

  beforeAll(async () => {
    database = await startMongoTestServer();
    relay = await startRelay({
      adminKey,
      env: {
        SWITCHYARD_MONGODB_URI: `${database.uri}${uniqueDatabaseName('outage')}`,
        SWITCHYARD_SYNC_INTERVAL_MS: '250',
        SWITCHYARD_SCHEDULER_CRON: '* * * * * *',
        // Expires during the outage: keys the relay verified before must keep working from memory.
        SWITCHYARD_API_KEY_CACHE_SECONDS: '1',
      },
    });
    const keys = await Promise.all(
      (['server', 'client'] as const).map((role) =>
        api(relay, 'POST', '/api/v1/api-keys', { body: { name: `outage-${role}`, role, environment: 'production' } }),
      ),
    );
    [serverKey, clientKey] = keys.map((created) => secretOf(created.body));
    const flag = await api(relay, 'POST', '/api/v1/feature-flags', {
      body: {
        name: 'survives-outage',
        description: 'on for everyone',
        type: 'boolean',
        environments: { production: { enabled: true, rules: [], fallthrough: { serve: true } } },
      },
    });
    expect(flag.status).toBe(201);
    const rollout = await api(relay, 'POST', '/api/v1/feature-flags', {
      body: sampleGradualFlag('ramps-through-outage', {
        startDate: ROLLOUT_START.toISOString(),
        gradualIncrement: 1,
        gradualPeriodSeconds: 1,
      }),
    });
    expect(rollout.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await relay?.close();
    await database?.dispose();
  });

  it('when the database is down, then evaluations and streams go on, writes get 503, and it recovers by itself', async () => {
    const evaluate = () =>
      api(relay, 'POST', '/api/v1/feature-flags/evaluate', {
        key: clientKey,
        body: { flagName: 'survives-outage', userContext: { userId: 'u1' } },
      });
    expect((await evaluate()).status).toBe(200);
    const stream = new StreamTestClient(relay.url, { key: serverKey });
    await stream.waitFor((m) => m.type === 'snapshot' && m.flags.some((f) => f.name === 'survives-outage'));
    await database.stop();

    const refused = await eventually(
      'a write answering 503',
      async () => {
        const response = await fetch(`${relay.url}/api/v1/feature-flags`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'written-while-down', description: '', type: 'boolean', environments: {} }),
        });
        return response.status === 503 ? response : undefined;
      },
      60_000,
    );
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(await refused.json())).toMatch(/unreachable|unavailable/i);
    expect((await fetch(`${relay.url}/readyz`)).status).toBe(503);

    const evaluation = await evaluate();
    expect(evaluation).toMatchObject({ status: 200, body: { value: true, enabled: true } });
    const lateStream = new StreamTestClient(relay.url, { key: serverKey });
    await lateStream.waitFor((m) => m.type === 'snapshot' && m.flags.some((f) => f.name === 'survives-outage'));
    expect(stream.socket.readyState).toBe(stream.socket.OPEN);
    const scheduler = await eventually(
      'a scheduler run failing',
      async () => {
        const status = await api(relay, 'GET', '/api/v1/scheduler');
        return status.body.lastRun?.error ? status : undefined;
      },
      30_000,
    );
    expect(scheduler.body.lastRun.error).toMatch(/unreachable/);

    await database.restart();
    await eventually(
      'readyz 200',
      async () => ((await fetch(`${relay.url}/readyz`)).status === 200 ? true : undefined),
      60_000,
    );
    const current = await api(relay, 'GET', '/api/v1/feature-flags/survives-outage');
    const updated = await eventually(
      'a write succeeding again',
      async () => {
        const response = await api(relay, 'PATCH', '/api/v1/feature-flags/survives-outage?environment=production', {
          body: { version: current.body.version, enabled: false },
        });
        return response.status === 200 ? response : undefined;
      },
      60_000,
    );
    expect(updated.body.version).toBe(current.body.version + 1);
    await stream.waitFor(
      (m) => m.type === 'changes' && m.changes.some((c) => c.kind === 'upsert' && c.flag.name === 'survives-outage'),
    );
    // The rollout resumes after the outage at exactly what is due: one point per whole second since its start.
    const stepped = await eventually(
      'a gradual step after the outage',
      async () => {
        const { body } = await api(relay, 'GET', '/api/v1/audit?flag=ramps-through-outage');
        const steps = (body.entries ?? body.items ?? body).filter((entry: any) => entry.actor === 'scheduler');
        const last = steps.find((entry: any) => Date.parse(entry.at) > Date.now() - 3000);
        return last;
      },
      30_000,
    );
    const rule = stepped.after.environments.production.rules[0];
    const seconds = (Date.parse(rule.lastStepAt) - ROLLOUT_START.getTime()) / 1000;
    expect(Number.isInteger(seconds)).toBe(true);
    expect(rule.percentage).toBe(seconds);
    stream.close();
    lateStream.close();
  });
});
