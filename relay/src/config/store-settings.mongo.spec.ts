import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startTestRelay } from '../http/testing/test-relay.js';
import { useMongoTestServer } from '../testing/mongo-test-server.test-helper.js';

describe('MongoDB store settings on a running relay', { timeout: 120_000 }, () => {
  const mongo = useMongoTestServer();

  it('when SWITCHYARD_MONGODB_DATABASE is set, then the relay keeps its flags in that database, not the one in the URI', async () => {
    const named = mongo().databaseName('setting_db');
    const inUri = mongo().databaseName('uri_db');
    const t = await startTestRelay({
      mongodbUri: `${mongo().uri.replace(/\/?$/, '/')}${inUri}`,
      mongodbDatabase: named,
    });
    const client = new MongoClient(mongo().uri);
    try {
      expect(
        (await t.call('POST', '/api/v1/feature-flags', { body: { name: 'where-am-i', environments: ['production'] } }))
          .status,
      ).toBe(201);
      expect(await client.db(named).collection('flags').countDocuments({ name: 'where-am-i' })).toBe(1);
      expect(await client.db(inUri).collection('flags').countDocuments({ name: 'where-am-i' })).toBe(0);
    } finally {
      await client.close();
      await t.stop();
    }
  });
});
