import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay } from '../http/testing/test-relay.js';
import { startMongoTestServer, type MongoTestServer } from '../testing/mongo-test-server.js';

describe('MongoDB store settings on a running relay', { timeout: 120_000 }, () => {
  let server: MongoTestServer;
  beforeAll(async () => {
    server = await startMongoTestServer();
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('when SWITCHYARD_MONGODB_DATABASE is set, then the relay keeps its flags in that database, not the one in the URI', async () => {
    const named = server.databaseName('setting_db');
    const inUri = server.databaseName('uri_db');
    const t = await startTestRelay({ mongodbUri: `${server.uri.replace(/\/?$/, '/')}${inUri}`, mongodbDatabase: named });
    const client = new MongoClient(server.uri);
    try {
      expect((await t.call('POST', '/api/v1/feature-flags', { body: { name: 'where-am-i', environments: ['production'] } })).status).toBe(201);
      expect(await client.db(named).collection('flags').countDocuments({ name: 'where-am-i' })).toBe(1);
      expect(await client.db(inUri).collection('flags').countDocuments({ name: 'where-am-i' })).toBe(0);
    } finally {
      await client.close();
      await t.stop();
    }
  });
});
