import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoTestServer, type MongoTestServer } from '../testing/mongo-test-server.js';
import { expectConcurrentUnversionedPatchesAllLand } from './testing/concurrent-patches.js';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

const FLAGS = '/api/v1/feature-flags';
const ADMIN_KEY = 'relays-on-mongodb-admin-key';

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('two relays on one MongoDB-protocol database', { timeout: 120_000 }, () => {
  let server: MongoTestServer;
  let a: TestRelay;
  let b: TestRelay;

  beforeAll(async () => {
    server = await startMongoTestServer();
    const uri = `${server.uri.replace(/\/?$/, '/')}${server.databaseName('relays_http')}`;
    a = await startTestRelay({ mongodbUri: uri, adminKey: ADMIN_KEY, apiKeyCacheSeconds: 1 });
    b = await startTestRelay({ mongodbUri: uri, adminKey: ADMIN_KEY, apiKeyCacheSeconds: 1 });
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await server?.dispose();
  });

  it('when writers on both relays PATCH the same version at once, then exactly one succeeds and the rest get 409', async () => {
    await a.call('POST', FLAGS, { body: { name: 'shared', environments: ['production'], enabled: true } });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? a : b).call('PATCH', `${FLAGS}/shared`, {
          body: { rolloutConfig: { percentage: i * 10 }, version: 1 },
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(7);
    expect((await b.call('GET', `${FLAGS}/shared`)).body.version).toBe(2);
  });

  it('when clients on both relays PATCH different fields at once without a version, then every change lands', async () => {
    await expectConcurrentUnversionedPatchesAllLand([a, b], 'patched-on-both');
  });

  it('when a flag changes through one relay, then the other relay evaluates the change from its own memory', async () => {
    await a.call('POST', FLAGS, { body: { name: 'cross-relay', environments: ['production'], enabled: false } });
    const before = await eventually(
      () => b.call('POST', `${FLAGS}/evaluate`, { body: { flagName: 'cross-relay' } }),
      (answer) => answer.status === 200,
    );
    expect(before.body.enabled).toBe(false);
    await a.call('PATCH', `${FLAGS}/cross-relay`, { body: { enabled: true, version: 1 } });
    const after = await eventually(
      () => b.call('POST', `${FLAGS}/evaluate`, { body: { flagName: 'cross-relay', userContext: { userId: 'u' } } }),
      (answer) => answer.body.enabled === true,
    );
    expect(after.body).toMatchObject({ value: true, enabled: true });
  });

  it('when a key is revoked through one relay, then the other refuses it once its key cache expires', async () => {
    const created = await a.call('POST', '/api/v1/api-keys', { body: { name: 'short-lived', role: 'viewer' } });
    expect((await b.call('GET', FLAGS, { key: created.body.key })).status).toBe(200);
    await a.call('DELETE', `/api/v1/api-keys/${created.body.id}`);
    expect((await a.call('GET', FLAGS, { key: created.body.key })).status).toBe(401);
    const later = await eventually(
      () => b.call('GET', FLAGS, { key: created.body.key }),
      (answer) => answer.status === 401,
    );
    expect(later.status).toBe(401);
  });
});
