import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../config/relay-config.js';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';
import { startMongoTestServer, type MongoTestServer } from '../../testing/index.js';
import { sampleFlag } from '../../testing/sample-flag.js';

const ADMIN_KEY = 'sy_admin_analytics_mongo_test_key_0123456789';
const now = () => new Date().toISOString();

describe('analytics on MongoDB (FerretDB here), two relays sharing the database', () => {
  let server: MongoTestServer;
  let first: TestRelay;
  let second: TestRelay;
  beforeAll(async () => {
    server = await startMongoTestServer();
    const mongodbUri = `${server.uri}${server.databaseName('analytics')}`;
    // A small exact limit so that unique users go through HyperLogLog in this test.
    const usage = { ...configWith({}).usage, exactUniqueLimit: 50 };
    first = await startTestRelay({ mongodbUri, adminKey: ADMIN_KEY, usage });
    second = await startTestRelay({ mongodbUri, adminKey: ADMIN_KEY, usage });
    await first.call('POST', '/api/v1/feature-flags', { body: sampleFlag('shared-flag') });
  }, 120_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await server?.dispose();
  });

  it('when both relays take batches for the same hour at once, then analytics on either shows every evaluation', async () => {
    const batch = (relay: string, round: number) => ({
      evaluations: [
        {
          flagName: 'shared-flag',
          enabled: true,
          count: 100,
          userIds: Array.from({ length: 100 }, (_, i) => `${relay}-${round}-${i}`),
          periodStart: now(),
        },
      ],
    });
    const sends = [];
    for (let round = 0; round < 10; round++) {
      sends.push(first.call('POST', '/api/v1/usage', { body: batch('a', round) }));
      sends.push(second.call('POST', '/api/v1/usage', { body: batch('b', round) }));
    }
    expect((await Promise.all(sends)).map((answer) => answer.status)).toEqual(Array(20).fill(202));
    await first.relay.stop();
    await second.relay.stop();
    second = await startTestRelay({ mongodbUri: first.relay.config.mongodbUri, adminKey: ADMIN_KEY });
    const analytics = await second.call('GET', '/api/v1/feature-flags/shared-flag/analytics?days=1');
    expect(analytics.status).toBe(200);
    expect(analytics.body.totalEvaluations).toBe(2000);
    // 2,000 distinct users, past the exact limit: a HyperLogLog estimate within 3 standard errors (1.6% each).
    expect(analytics.body.uniqueUsersExact).toBe(false);
    expect(Math.abs(analytics.body.uniqueUsers - 2000) / 2000).toBeLessThan(0.05);
  });
});
