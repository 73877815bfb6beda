import { MongoClient, type Db } from 'mongodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sampleFlag } from '../../testing/sample-flag.js';
import { startMongoTestServer, type MongoTestServer } from '../../testing/mongo-test-server.js';
import { toVersionDocument } from './mongo-documents.js';
import { COLLECTIONS, MongoStore } from './mongo-store.js';
import { VersionConflictError } from '../store-errors.js';

const GAP_SETTLE_MS = 400;
let server: MongoTestServer;
let client: MongoClient;
beforeAll(async () => {
  server = await startMongoTestServer();
  client = new MongoClient(server.uri);
}, 120_000);
afterAll(async () => {
  await client?.close();
  await server?.dispose();
});

let store: MongoStore;
let db: Db;
beforeEach(async () => {
  const databaseName = server.databaseName('store_recovery');
  store = await MongoStore.connect({ mongodbUri: server.uri, databaseName, gapSettleMs: GAP_SETTLE_MS });
  db = client.db(databaseName);
});
afterEach(async () => {
  await store.close();
});

/** What a writer on another relay leaves behind after reserving a revision and dying (or being slow). */
async function reserveLikeAnotherWriter(revision: number, flagName: string): Promise<void> {
  await db
    .collection(COLLECTIONS.flagChanges)
    .insertOne({ revision, kind: 'pending', flagName, at: new Date().toISOString() });
}

describe('MongoDB store without transactions', () => {
  it('when revision N is still pending and N+1 is complete, then followers stop before N until it settles', async () => {
    await store.flags.create(sampleFlag('first'));
    await reserveLikeAnotherWriter(2, 'slow');
    const third = await store.flags.create(sampleFlag('third'));
    expect(third.revision).toBe(3);
    expect((await store.flags.changesSince(0, 10)).map((change) => change.revision)).toEqual([1]);
    expect(await store.flags.currentRevision()).toBe(1);
    await expect
      .poll(async () => (await store.flags.changesSince(1, 10)).map((change) => change.revision), {
        timeout: GAP_SETTLE_MS + 10_000,
      })
      .toEqual([3]);
    expect(await store.flags.currentRevision()).toBe(3);
  });

  it('when a writer died after claiming its version, then readers complete its change and writers settle the flag', async () => {
    const created = await store.flags.create(sampleFlag('orphan'));
    await reserveLikeAnotherWriter(2, 'orphan');
    const claimed = { ...created, version: 2, revision: 2, description: 'claimed, then the writer died' };
    await db.collection(COLLECTIONS.flagVersions).insertOne(toVersionDocument(claimed, created.revision));

    const changes = await store.flags.changesSince(1, 10);
    expect(changes).toEqual([
      { revision: 2, flagName: 'orphan', kind: 'upsert', flag: claimed, at: claimed.updatedAt },
    ]);
    const error = await store.flags.update(sampleFlag('orphan'), 1).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ actualVersion: 2 });
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(await store.flags.get('orphan')).toEqual(claimed);
    expect((await store.flags.update(sampleFlag('orphan'), 2)).version).toBe(3);
  });

  it('when the change log passes its retention, then old entries are pruned and oldestRevision says up to where', async () => {
    const small = await MongoStore.connect({
      mongodbUri: server.uri,
      databaseName: server.databaseName('store_prune'),
      changeLogRetention: 40,
    });
    try {
      for (let index = 1; index <= 105; index += 1) await small.flags.create(sampleFlag(`pruned-${index}`));
      expect(await small.flags.oldestRevision()).toBe(60);
      const changes = await small.flags.changesSince(0, 1000);
      expect(changes[0]!.revision).toBe(61);
      expect(changes).toHaveLength(45);
      expect(await small.flags.currentRevision()).toBe(105);
    } finally {
      await small.close();
    }
  }, 120_000);
});
