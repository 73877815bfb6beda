import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoStore } from '../../store/mongo/mongo-store.js';
import { startMongoTestServer, uniqueDatabaseName, type MongoTestServer } from '../../testing/mongo-test-server.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { schedulerOnStore } from '../scheduler/scheduler-on-store.test-helper.js';
import { sampleGradualFlag } from '../scheduler/sample-gradual-flag.js';
import { FlagMap, type AppliedChange } from '../flags/flag-map.js';
import { FlagSync } from './flag-sync.js';

/** What one relay holds in memory, and the revisions it applied, in order. */
function relayOn(store: MongoStore) {
  const flagMap = new FlagMap();
  const revisions: number[] = [];
  const sync = new FlagSync(store.flags, flagMap, {
    changed: (changes: AppliedChange[]) => revisions.push(...changes.map((c) => c.record.revision)),
    reloaded: () => undefined,
  });
  return { flagMap, revisions, sync };
}

describe('several relays on one MongoDB-protocol database', { timeout: 120_000 }, () => {
  let server: MongoTestServer;
  const stores: MongoStore[] = [];

  beforeAll(async () => {
    server = await startMongoTestServer();
    const databaseName = uniqueDatabaseName('several_relays');
    for (let i = 0; i < 3; i += 1) stores.push(await MongoStore.connect({ mongodbUri: server.uri, databaseName }));
  }, 120_000);
  afterAll(async () => {
    for (const store of stores) await store.close();
    await server?.dispose();
  });

  it('when relays write concurrently, then every relay applies every change once, in revision order, and converges', async () => {
    const relays = stores.map(relayOn);
    await Promise.all(relays.map((relay) => relay.sync.pollNow()));
    const writes = stores.flatMap((store, i) =>
      [0, 1, 2, 3].map(async (j) => {
        const created = await store.flags.create(sampleFlag(`concurrent-${i}-${j}`));
        await store.flags.update({ ...created, description: `edited by relay ${i}` }, created.version);
      }),
    );
    await Promise.all([...writes, ...relays.map((relay) => relay.sync.pollNow())]);
    const current = await stores[0]!.flags.currentRevision();
    for (const relay of relays) {
      await expect
        .poll(async () => (await relay.sync.pollNow(), relay.flagMap.revision), { timeout: 30_000 })
        .toBe(current);
      expect([...relay.revisions].sort((a, b) => a - b)).toEqual(relay.revisions);
      expect(new Set(relay.revisions).size).toBe(relay.revisions.length);
      const names = [...relay.flagMap.all()].filter((f) => f.name.startsWith('concurrent-')).map((f) => f.description);
      expect(names).toHaveLength(12);
      expect(names.every((description) => description.startsWith('edited by relay'))).toBe(true);
    }
  });

  it('when three relays take a gradual step at the same moment, then exactly one writes it', async () => {
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    const flag = sampleGradualFlag('raced-rollout', {
      startDate: new Date(start).toISOString(),
      gradualPeriodSeconds: 60,
    });
    await stores[0]!.flags.create(flag);
    const now = new Date(start + 150_000);
    const results = await Promise.all(stores.map((store) => schedulerOnStore(store).scheduler.run(now)));
    expect(results.reduce((sum, r) => sum + r.stepsApplied, 0)).toBe(1);
    const stepped = await stores[2]!.flags.get('raced-rollout');
    expect(stepped!.environments.production!.rules[0]).toMatchObject({ percentage: 20 });
    expect(stepped!.version).toBe(2);
    const audit = await stores[1]!.audit.list({ flagName: 'raced-rollout' });
    expect(audit.filter((entry) => entry.actor === 'scheduler')).toHaveLength(1);
  });
});
