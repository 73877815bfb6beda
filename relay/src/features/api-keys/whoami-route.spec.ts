import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';
import { parseKey } from './api-key-format.js';

describe('GET /api/v1/whoami', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay({
      environments: ['staging', 'production'],
      defaultEnvironment: 'production',
      flagMaxRules: 7,
      maxPageSize: 300,
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it("when a viewer key asks, then it learns its id, name and role, and the relay's environments, flag limits and page size", async () => {
    const key = await t.keyFor('viewer');
    const answer = await t.call('GET', '/api/v1/whoami', { key });
    expect(answer.status).toBe(200);
    expect(answer.body.key).toEqual({ id: parseKey(key)!.id, name: 'viewer-all', role: 'viewer' });
    expect(answer.body.relay).toMatchObject({
      environments: ['staging', 'production'],
      defaultEnvironment: 'production',
      maxPageSize: 300,
      clientVisibleByDefault: true,
      requireWriteVersion: false,
    });
    expect(answer.body.relay.flagLimits.maxRules).toBe(7);
    expect(answer.text).not.toContain(parseKey(key)!.secret);
  });

  it('when a server key asks, then its environment is answered too', async () => {
    const answer = await t.call('GET', '/api/v1/whoami', { key: await t.keyFor('server', 'staging') });
    expect(answer.body.key).toMatchObject({ role: 'server', environment: 'staging' });
  });
});
