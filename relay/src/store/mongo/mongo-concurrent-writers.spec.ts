import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFlag } from '../../testing/sample-flag.js';
import { startMongoTestServer, type MongoTestServer } from '../../testing/mongo-test-server.js';
import { COLLECTIONS, MongoStore } from './mongo-store.js';
import { VersionConflictError } from '../store-errors.js';

const CLIENTS = 4;
const INCREMENTS_PER_CLIENT = 5;

/**
 * Several relays writing one flag, each through its own MongoClient (own connections), as on
 * FerretDB 1.24's SQLite handler, whose conditional updates are not atomic (docs/storage.md): every
 * write must either land on top of the one it read or get a VersionConflictError.
 */
describe('MongoDB store: concurrent writers on separate clients', () => {
  let server: MongoTestServer;
  let stores: MongoStore[];
  let databaseName: string;
  beforeAll(async () => {
    server = await startMongoTestServer();
    databaseName = server.databaseName('concurrent_writers');
    stores = await Promise.all(
      Array.from({ length: CLIENTS }, () => MongoStore.connect({ mongodbUri: server.uri, databaseName })),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all((stores ?? []).map((store) => store.close()));
    await server?.dispose();
  });

  it('when a store connects, then the unique indexes the writes rely on exist', async () => {
    const client = await MongoClient.connect(server.uri);
    try {
      const db = client.db(databaseName);
      const unique = async (collection: string) =>
        (await db.collection(collection).indexes())
          .filter((index) => index.unique)
          .map((index) => JSON.stringify(index.key));
      expect(await unique(COLLECTIONS.flags)).toContain(JSON.stringify({ name: 1 }));
      expect(await unique(COLLECTIONS.flagVersions)).toContain(JSON.stringify({ name: 1, incarnation: 1, version: 1 }));
      expect(await unique(COLLECTIONS.flagChanges)).toContain(JSON.stringify({ revision: 1 }));
      expect(await unique(COLLECTIONS.apiKeys)).toContain(JSON.stringify({ id: 1 }));
    } finally {
      await client.close();
    }
  });

  it('when every client updates from the same version at once, then exactly one wins', async () => {
    await stores[0]!.flags.create(sampleFlag('race-clients'));
    const results = await Promise.allSettled(
      stores.flatMap((store, client) =>
        [0, 1].map((writer) =>
          store.flags.update(sampleFlag('race-clients', { description: `client ${client} writer ${writer}` }), 1),
        ),
      ),
    );
    const winners = results.filter((result) => result.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    expect(
      results.every((result) => result.status === 'fulfilled' || result.reason instanceof VersionConflictError),
    ).toBe(true);
    expect(await stores[1]!.flags.get('race-clients')).toEqual(winners[0]!.value);
  });

  it('when clients read-modify-write a counter, retrying on conflict, then no increment is lost', async () => {
    await stores[0]!.flags.create(sampleFlag('counter', { description: '0' }));
    const increment = async (store: MongoStore): Promise<void> => {
      for (;;) {
        const current = (await store.flags.get('counter'))!;
        try {
          await store.flags.update(
            sampleFlag('counter', { description: String(Number(current.description) + 1) }),
            current.version,
          );
          return;
        } catch (error) {
          if (!(error instanceof VersionConflictError)) throw error;
        }
      }
    };
    await Promise.all(
      stores.map(async (store) => {
        for (let i = 0; i < INCREMENTS_PER_CLIENT; i++) await increment(store);
      }),
    );
    const total = CLIENTS * INCREMENTS_PER_CLIENT;
    const final = await stores[2]!.flags.get('counter');
    expect(final).toMatchObject({ description: String(total), version: total + 1 });
    const history = await stores[3]!.flags.history('counter');
    expect(history.map((flag) => flag.description)).toEqual(
      Array.from({ length: total + 1 }, (_, index) => String(index)),
    );
    const changes = (await stores[0]!.flags.changesSince(0, 1000)).filter((change) => change.flagName === 'counter');
    expect(changes.map((change) => change.flag?.description)).toEqual(history.map((flag) => flag.description));
  }, 60_000);
});
