import { expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.js';
import { MongoStore } from '../../store/mongo/mongo-store.js';
import { useMongoTestServer } from '../../testing/mongo-test-server.test-helper.js';
import { AuditService, type AuditActor } from '../audit/audit-service.js';
import { ApiKeyService } from './api-key-service.js';

const TEST_ACTOR: AuditActor = { name: 'test' };

const mongo = useMongoTestServer();

it.skipIf(process.env.SWITCHYARD_TEST_MONGODB_URI !== undefined)(
  'when the database is down, then a cached key that outlived its cache period is trusted for another period, not looked up on every request',
  async () => {
    const store = await MongoStore.connect({
      mongodbUri: mongo().uri,
      databaseName: mongo().databaseName('key_outage'),
      serverSelectionTimeoutMs: 1_000,
    });
    let clock = Date.parse('2026-05-01T10:00:00.000Z');
    const keys = new ApiKeyService(
      store.apiKeys,
      new AuditService(store.audit, createLogger('silent')),
      { environments: ['production'], cacheSeconds: 10, maxCachedKeys: 100, lastUsedIntervalSeconds: 3600 },
      () => clock,
    );
    try {
      const { apiKey, key } = await keys.create({ name: 'reader', role: 'viewer' }, TEST_ACTOR);
      expect(await keys.authenticate(key)).toMatchObject({ keyId: apiKey.id });
      await mongo().stop('SIGKILL');
      clock += 11_000;
      // The cache period is over and the store cannot answer: the key this relay verified keeps working.
      expect(await keys.authenticate(key)).toMatchObject({ keyId: apiKey.id });
      await mongo().restart();
      // Revoked as another relay sharing the database would: this relay learns it only when it asks the store again.
      await store.apiKeys.revoke(apiKey.id, new Date(clock).toISOString());
      clock += 5_000;
      expect(await keys.authenticate(key)).toMatchObject({ keyId: apiKey.id });
      clock += 6_000;
      expect(await keys.authenticate(key)).toBeUndefined();
    } finally {
      await store.close();
    }
  },
  120_000,
);
