import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OFREP_SETTINGS } from '../features/ofrep/ofrep-settings.js';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

const PER_MINUTE = 2;

/** A request each route a client key can reach accepts; `{name}`/`{key}` name a flag that exists. */
const REQUESTS: Record<string, { body?: unknown; stream?: boolean }> = {
  evaluateFlags: { body: { flagName: 'limited' } },
  whoAmI: {},
  ingestUsage: { body: { evaluations: [] } },
  ofrepEvaluateFlag: { body: { context: {} } },
  ofrepEvaluateFlags: { body: { context: {} } },
  ofrepEventStream: { stream: true },
};

describe('rate limits on every route a client key can reach', () => {
  let t: TestRelay;
  let routes: Array<{ method: string; path: string; operationId: string }>;
  beforeAll(async () => {
    t = await startTestRelay({
      clientRateLimitPerMinute: PER_MINUTE,
      ofrep: { ...DEFAULT_OFREP_SETTINGS, rateLimitPerMinute: PER_MINUTE },
    });
    await t.call('POST', '/api/v1/feature-flags', {
      body: { name: 'limited', environments: ['production'], enabled: true },
    });
    const document = (await t.call('GET', '/openapi.json', { key: null })).body;
    routes = Object.entries(
      document.paths as Record<string, Record<string, { operationId: string; 'x-switchyard-roles'?: string[] }>>,
    ).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation['x-switchyard-roles']?.includes('client'))
        .map(([method, operation]) => ({
          method: method.toUpperCase(),
          path: path.replace(/\{\w+\}/, 'limited'),
          operationId: operation.operationId,
        })),
    );
  });
  afterAll(async () => {
    await t.stop();
  });

  async function status(method: string, path: string, key: string, request: { body?: unknown; stream?: boolean }) {
    if (!request.stream) return t.call(method, path, { key, body: request.body });
    const controller = new AbortController();
    const response = await fetch(`${t.url}${path}`, {
      headers: { authorization: `Bearer ${key}` },
      signal: controller.signal,
    });
    const text = response.ok ? '' : await response.text();
    controller.abort();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : JSON.parse(text),
      text,
    };
  }

  it('when a client key calls any of them more often than its limit, then 429 with Retry-After, and each key and address has its own budget', async () => {
    expect(routes.map((route) => route.operationId).sort()).toEqual(Object.keys(REQUESTS).sort());
    for (const route of routes) {
      const key = await t.keyFor('client', 'production');
      const request = REQUESTS[route.operationId]!;
      const answers = [];
      for (let i = 0; i <= PER_MINUTE; i++) answers.push(await status(route.method, route.path, key, request));
      expect({ route: route.operationId, statuses: answers.map((answer) => answer.status < 300) }).toEqual({
        route: route.operationId,
        statuses: [true, true, false],
      });
      const refused = answers.at(-1)!;
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    }
  });

  it('when a server or management key calls them, then the client limit does not count it', async () => {
    const server = await t.keyFor('server', 'production');
    for (let i = 0; i <= PER_MINUTE; i++) {
      expect(
        (await t.call('POST', '/api/v1/feature-flags/evaluate', { key: server, body: { flagName: 'limited' } })).status,
      ).toBe(200);
      expect((await t.call('POST', '/api/v1/feature-flags/evaluate', { body: { flagName: 'limited' } })).status).toBe(
        200,
      );
    }
  });
});
