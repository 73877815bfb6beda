import { MongoClient, type Db } from 'mongodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from '../../testing/index.js';
import { USAGE_COLLECTIONS, UsageMongoStore } from './usage-mongo-store.js';
import { usageStoreContract } from '../contracts/usage-store-contract.js';
import { HyperLogLog } from '@switchyard/protocol';
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
    const key = {
      flagName: 'checkout',
      environment: 'production',
      hourStart: '2026-11-24T10:00:00.000Z',
      dimension: uniqueDimension.users(),
      overflow: false,
      registers: [],
    };
    const range = { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z', flagName: 'checkout' };
    await new UsageMongoStore(db, 'writer-1').apply({
      counters: [],
      uniques: [{ ...key, ids: ['a', 'b'] }],
      exactLimit: 3,
    });
    await new UsageMongoStore(db, 'writer-1').apply({
      counters: [],
      uniques: [{ ...key, ids: ['b', 'c'] }],
      exactLimit: 3,
    });
    expect((await store!.uniqueSets(range))[0]?.exact?.sort()).toEqual(['a', 'b', 'c']);
    await new UsageMongoStore(db, 'writer-1').apply({
      counters: [],
      uniques: [{ ...key, ids: ['d', 'e'] }],
      exactLimit: 3,
    });
    const [record] = await store!.uniqueSets(range);
    expect(record?.exact).toBeNull();
    const sketch = new HyperLogLog();
    sketch.mergeRegisters(record!.registers);
    expect(sketch.estimate()).toBe(5);
  });

  it('when a counter document was stored with a sum of squares (before M2), then it reads, and adding to it keeps the spread', async () => {
    const hourStart = '2026-11-24T10:00:00.000Z';
    const key = { flagName: 'checkout', environment: 'production', hourStart };
    const id = `${['production', 'checkout', hourStart].map(encodeURIComponent).join('|')}|writer-1`;
    // Values 10 and 20 as written before: n, vn, vs and vss = Σx² = 500.
    await db.collection<{ _id: string }>(USAGE_COLLECTIONS.buckets).insertOne({
      _id: id,
      ...key,
      writer: 'writer-1',
      sequence: 1,
      oc: { kconversion: { kblue: { n: 2, vn: 2, vs: 30, vss: 500 } } },
    });
    const range = { from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' };
    expect((await store!.buckets(range))[0]?.outcomes).toEqual({
      conversion: { blue: { count: 2, valueCount: 2, valueSum: 30, valueSquaredDeviations: 50 } },
    });
    const more = {
      ...key,
      ...emptyCounters(),
      outcomes: { conversion: { blue: { count: 1, valueCount: 1, valueSum: 15, valueSquaredDeviations: 0 } } },
    };
    await new UsageMongoStore(db, 'writer-1').apply({ counters: [more], uniques: [], exactLimit: 100 });
    expect((await store!.buckets(range))[0]?.outcomes).toEqual({
      conversion: { blue: { count: 3, valueCount: 3, valueSum: 45, valueSquaredDeviations: 50 } },
    });
  });

  it('when several relays write one bucket at once, then no increment is lost', async () => {
    const delta = {
      counters: [
        {
          flagName: 'checkout',
          environment: 'production',
          hourStart: '2026-11-24T10:00:00.000Z',
          ...emptyCounters(),
          evaluations: { on: { enabled: 1, disabled: 0 } },
        },
      ],
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
