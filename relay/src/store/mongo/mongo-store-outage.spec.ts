import { expect, it } from 'vitest';
import { sampleFlag } from '../../testing/sample-flag.js';
import { useMongoTestServer } from '../../testing/mongo-test-server.test-helper.js';
import { MongoStore } from './mongo-store.js';
import { StoreUnavailableError } from '../store-errors.js';

const mongo = useMongoTestServer();

it.skipIf(process.env.SWITCHYARD_TEST_MONGODB_URI !== undefined)(
  'when the database goes away, then operations fail with StoreUnavailableError, and work again once it is back',
  async () => {
    const store = await MongoStore.connect({
      mongodbUri: mongo().uri,
      databaseName: mongo().databaseName('store_outage'),
      serverSelectionTimeoutMs: 1_000,
    });
    try {
      await store.flags.create(sampleFlag('before-outage'));
      await mongo().stop('SIGKILL');
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.flags.create(sampleFlag('during-outage'))).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.flags.get('before-outage')).rejects.toBeInstanceOf(StoreUnavailableError);
      await mongo().restart();
      await expect(store.ping()).resolves.toBeUndefined();
      expect(await store.flags.get('before-outage')).not.toBeNull();
      const after = await store.flags.create(sampleFlag('after-outage'));
      const changes = await store.flags.changesSince(0, 10);
      expect(changes.map((change) => change.flagName)).toEqual(['before-outage', 'after-outage']);
      expect(await store.flags.currentRevision()).toBe(after.revision);
    } finally {
      await store.close();
    }
  },
  120_000,
);
