import { MongoClient, type Db } from 'mongodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from '../testing/index.js';
import { USAGE_COLLECTIONS, UsageMongoStore } from './usage-mongo-store.js';
import { usageStoreContract } from './usage-store-contract.js';
import { HyperLogLog } from '../features/usage/hyperloglog.js';
import { emptyCounters, uniqueDimension } from './usage-store.js';

describe('UsageMongoStore', () => {
  let server: MongoTestServer;
  let client: MongoClient;
  let db: Db;
  let store: UsageMongoStore | undefined;

  beforeAll(async () => {
    server = await startMongoTestServer();
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 20_000 });
    await client.connect();
  }, 90_000);
  afterAll(async () => {
    await client?.close();
    await server?.dispose();
  });
  beforeEach(() => {
    db = client.db(server.databaseName('usage'));
    store = new UsageMongoStore(db);
  });
  afterEach(async () => {
    await db.dropDatabase();
  });

  usageStoreContract(() => store!);

  it('when an instance no longer holds a set in memory, then it reads the set back and adds to it', async () => {
    const key = { flagName: 'checkout', environment: 'production', hourStart: '2026-11-24T10:00:00.000Z', dimension: uniqueDimension.users(), overflow: false, registers: [] };
    const range = { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z', flagName: 'checkout' };
    await new UsageMongoStore(db, 'writer-1').apply({ counters: [], uniques: [{ ...key, ids: ['a', 'b'] }], exactLimit: 3 });
    await new UsageMongoStore(db, 'writer-1').apply({ counters: [], uniques: [{ ...key, ids: ['b', 'c'] }], exactLimit: 3 });
    expect((await store!.uniqueSets(range))[0]?.exact?.sort()).toEqual(['a', 'b', 'c']);
    await new UsageMongoStore(db, 'writer-1').apply({ counters: [], uniques: [{ ...key, ids: ['d', 'e'] }], exactLimit: 3 });
    const [record] = await store!.uniqueSets(range);
    expect(record?.exact).toBeNull();
    const sketch = new HyperLogLog();
    sketch.mergeRegisters(record!.registers);
    expect(sketch.estimate()).toBe(5);
  });

  it('when several relays write one bucket at once, then no increment is lost', async () => {
    const delta = {
      counters: [{ flagName: 'checkout', environment: 'production', hourStart: '2026-11-24T10:00:00.000Z', ...emptyCounters(), evaluations: { on: { enabled: 1, disabled: 0 } } }],
      uniques: [],
      exactLimit: 100,
    };
    const relays = Array.from({ length: 5 }, () => new UsageMongoStore(db));
    await Promise.all(relays.flatMap((relay) => Array.from({ length: 10 }, () => relay.apply(structuredClone(delta)))));
    const [bucket] = await store!.buckets({ from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' });
    expect(bucket?.evaluations).toEqual({ on: { enabled: 50, disabled: 0 } });
    // One document per writer: FerretDB loses concurrent increments of a shared document.
    expect(await db.collection(USAGE_COLLECTIONS.buckets).countDocuments()).toBe(5);
  });
});
