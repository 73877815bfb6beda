import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

/** Routes that read a body, with a flag that exists so handlers get past the lookup. */
const BODY_ROUTES = [
  ['POST', '/api/v1/feature-flags'],
  ['PUT', '/api/v1/feature-flags/fuzzed?force=true'],
  ['PATCH', '/api/v1/feature-flags/fuzzed?force=true'],
  ['POST', '/api/v1/feature-flags/fuzzed/rollback?force=true'],
  ['POST', '/api/v1/feature-flags/evaluate'],
  ['POST', '/api/v1/api-keys'],
] as const;

const QUERY_ROUTES = ['/api/v1/feature-flags', '/api/v1/feature-flags/fuzzed', '/api/v1/audit'] as const;

/** JSON values leaning towards the shapes the routes expect, so validation goes deep. */
const flagish = fc.record(
  {
    name: fc.oneof(fc.constant('fuzzed'), fc.string()),
    enabled: fc.jsonValue(),
    rolloutConfig: fc.dictionary(fc.constantFrom('strategy', 'percentage', 'userIds', 'targetingRules', '$gt'), fc.jsonValue()),
    environments: fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('production', '*', 'x'), fc.jsonValue())),
    flagName: fc.oneof(fc.constant('fuzzed'), fc.jsonValue()),
    flagNames: fc.jsonValue(),
    userContext: fc.jsonValue(),
    version: fc.jsonValue(),
    role: fc.constantFrom('admin', 'server', 'client', 'x'),
    environment: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('no input yields a 500', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay();
    await t.call('POST', '/api/v1/feature-flags', { body: { name: 'fuzzed', environments: ['production'], enabled: true } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each(BODY_ROUTES)('when %s %s gets arbitrary JSON, then it answers below 500', async (method, path) => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(flagish, fc.jsonValue()), async (body) => {
        const answer = await t.call(method, path, { rawBody: JSON.stringify(body) ?? 'null', headers: { 'content-type': 'application/json' } });
        expect(answer.status, answer.text).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.headers.get('content-type')).toContain('application/problem+json');
      }),
      { numRuns: 60 },
    );
  });

  it.each(QUERY_ROUTES)('when GET %s gets arbitrary query strings, then it answers below 500', async (path) => {
    const key = fc.constantFrom('environment', 'tag', 'text', 'limit', 'cursor', 'flag', 'since', 'x[$gt]');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, fc.string()), { maxLength: 4 }), async (pairs) => {
        const query = new URLSearchParams(pairs).toString();
        const answer = await t.call('GET', `${path}?${query}`);
        expect(answer.status, `${query}: ${answer.text}`).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
