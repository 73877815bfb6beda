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
import { api, items, secretOf } from './scaling-helpers.js';

function gradualRule(flag: any): any {
  return flag.environments.production.rules[0];
}

describe('three relay processes on one database', { timeout: 180_000 }, () => {
  let database: MongoTestServer;
  const relays: StartedRelay[] = [];
  const adminKey = `sy_admin_${randomBytes(16).toString('hex')}`;
  let serverKey: string;

  beforeAll(async () => {
    database = await startMongoTestServer();
    const uri = `${database.uri}${uniqueDatabaseName('scaling')}`;
    for (let i = 0; i < 3; i += 1) {
      relays.push(
        await startRelay({
          adminKey,
          env: {
            SWITCHYARD_MONGODB_URI: uri,
            SWITCHYARD_SCHEDULER_CRON: '* * * * * *',
            SWITCHYARD_SYNC_INTERVAL_MS: '250',
          },
        }),
      );
    }
    const created = await api(relays[0]!, 'POST', '/api/v1/api-keys', {
      body: { name: 'scaling-server', role: 'server', environment: 'production' },
    });
    expect(created.status).toBe(201);
    serverKey = secretOf(created.body);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.close()));
    await database?.dispose();
  });

  it('when a flag is created through relay 1, then a stream on relay 3 receives it', async () => {
    const client = new StreamTestClient(relays[2]!.url, { key: serverKey });
    try {
      await client.waitFor((m) => m.type === 'snapshot');
      const started = Date.now();
      const created = await api(relays[0]!, 'POST', '/api/v1/feature-flags', {
        body: {
          name: 'spread-across-relays',
          description: 'made on relay 1',
          type: 'boolean',
          environments: {
            production: {
              enabled: true,
              rules: [{ strategy: 'percentage', percentage: 25 }],
              fallthrough: { serve: false },
            },
          },
        },
      });
      expect(created.status).toBe(201);
      const change = await client.waitFor(
        (m) =>
          m.type === 'changes' && m.changes.some((c) => c.kind === 'upsert' && c.flag.name === 'spread-across-relays'),
      );
      console.info(`propagation relay 1 → stream on relay 3: ${Date.now() - started} ms (write included)`);
      expect(change.type === 'changes' && change.changes[0]).toMatchObject({
        kind: 'upsert',
        flag: { description: 'made on relay 1' },
      });
    } finally {
      client.close();
    }
  });

  it('when three relays run the scheduler, then each gradual step is written and audited exactly once', async () => {
    const name = 'stepped-once';
    const created = await api(relays[1]!, 'POST', '/api/v1/feature-flags', {
      body: sampleGradualFlag(name, {
        startDate: new Date().toISOString(),
        gradualPeriodSeconds: 2,
        maxPercentage: 30,
      }),
    });
    expect(created.status).toBe(201);
    // Every relay ticks at the same second boundary: the losers of a step report a version conflict.
    // Seeing one proves the relays really raced for a step rather than taking turns.
    let conflictsSeen = 0;
    await eventually(
      'the rollout reaching 30 %',
      async () => {
        const statuses = await Promise.all(relays.map((relay) => api(relay, 'GET', '/api/v1/scheduler')));
        for (const status of statuses)
          conflictsSeen = Math.max(conflictsSeen, status.body.lastRun?.result?.conflicts ?? 0);
        const { body } = await api(relays[2]!, 'GET', `/api/v1/feature-flags/${name}`);
        return gradualRule(body).percentage === 30 ? true : undefined;
      },
      60_000,
    );
    expect(conflictsSeen).toBeGreaterThan(0);
    // Two more scheduler runs on every relay: nothing more may happen at the ceiling.
    for (let run = 0; run < 2; run += 1) await schedulerRunOnEvery(relays, Date.now());
    const history = items((await api(relays[0]!, 'GET', `/api/v1/feature-flags/${name}/history`)).body);
    const percentages = history.map((version: any) => gradualRule(version).percentage);
    expect(percentages[0]).toBe(0);
    expect(percentages.at(-1)).toBe(30);
    for (let i = 1; i < percentages.length; i += 1) expect(percentages[i]).toBeGreaterThan(percentages[i - 1]);
    const audit = items((await api(relays[0]!, 'GET', `/api/v1/audit?flag=${name}`)).body);
    const steps = audit.filter((entry: any) => entry.actor === 'scheduler');
    expect(steps).toHaveLength(history.length - 1);
    const statuses = await Promise.all(relays.map((relay) => api(relay, 'GET', '/api/v1/scheduler')));
    for (const status of statuses) expect(status.body.flagsDue).not.toContain(name);
  });
});

/** Resolves once every relay's scheduler has started a run after `after` (epoch ms). */
async function schedulerRunOnEvery(relays: StartedRelay[], after: number): Promise<void> {
  await eventually(
    'a scheduler run on every relay',
    async () => {
      const statuses = await Promise.all(relays.map((relay) => api(relay, 'GET', '/api/v1/scheduler')));
      return statuses.every((status) => Date.parse(status.body.lastRun?.startedAt ?? '') > after) ? true : undefined;
    },
    30_000,
  );
}
