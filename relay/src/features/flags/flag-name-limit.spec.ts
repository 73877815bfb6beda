import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type Answer, type TestRelay } from '../../http/testing/test-relay.js';

const MAX_NAME_LENGTH = 300;
/** Kebab-case, exactly SWITCHYARD_FLAG_MAX_NAME_LENGTH characters: over core's default of 128. */
const LONG_NAME = `${'a'.repeat(MAX_NAME_LENGTH - 8)}-variant`;
const FLAG = `/api/v1/feature-flags/${LONG_NAME}`;

interface FlagRouteCall {
  operationId: string;
  expected: number;
  call(t: TestRelay, keys: { server: string }): Promise<Answer>;
}

const now = new Date().toISOString();

/** Every route that names a flag, in an order that leaves each one something to act on; DELETE last. */
const FLAG_ROUTE_CALLS: FlagRouteCall[] = [
  { operationId: 'getFlag', expected: 200, call: (t) => t.call('GET', FLAG) },
  {
    operationId: 'replaceFlag',
    expected: 200,
    call: (t) =>
      t.call('PUT', FLAG, { body: { ...longFlag(), description: 'replaced' }, headers: { 'If-Match': '"1"' } }),
  },
  {
    operationId: 'patchFlag',
    expected: 200,
    call: (t) => t.call('PATCH', FLAG, { body: { environment: 'production', enabled: false, version: 2 } }),
  },
  { operationId: 'flagHistory', expected: 200, call: (t) => t.call('GET', `${FLAG}/history`) },
  {
    operationId: 'rollbackFlag',
    expected: 200,
    call: (t) => t.call('POST', `${FLAG}/rollback`, { body: { version: 1, expectedVersion: 3 } }),
  },
  { operationId: 'getFlagAnalytics', expected: 200, call: (t) => t.call('GET', `${FLAG}/analytics`) },
  { operationId: 'getExperimentResults', expected: 200, call: (t) => t.call('GET', `${FLAG}/experiment?control=on`) },
  {
    operationId: 'evaluateFlags',
    expected: 200,
    call: (t) => t.call('POST', '/api/v1/feature-flags/evaluate', { body: { flagName: LONG_NAME } }),
  },
  { operationId: 'listAudit', expected: 200, call: (t) => t.call('GET', `/api/v1/audit?flag=${LONG_NAME}`) },
  {
    operationId: 'ingestUsage',
    expected: 202,
    call: (t, keys) =>
      t.call('POST', '/api/v1/usage', {
        key: keys.server,
        body: { evaluations: [{ flagName: LONG_NAME, variant: 'on', enabled: true, count: 1, periodStart: now }] },
      }),
  },
  {
    operationId: 'ofrepEvaluateFlag',
    expected: 200,
    call: (t, keys) =>
      t.call('POST', `/ofrep/v1/evaluate/flags/${LONG_NAME}`, {
        key: keys.server,
        body: { context: { targetingKey: 'u1' } },
      }),
  },
  { operationId: 'deleteFlag', expected: 204, call: (t) => t.call('DELETE', `${FLAG}?force=true`) },
];

function longFlag() {
  return {
    name: LONG_NAME,
    type: 'string',
    variants: [
      { name: 'on', value: 'on' },
      { name: 'off', value: 'off' },
    ],
    environments: { production: { enabled: true, rules: [], fallthrough: { serve: true, variant: 'on' } } },
  };
}

describe('flag names at SWITCHYARD_FLAG_MAX_NAME_LENGTH', () => {
  let t: TestRelay;
  let server: string;
  beforeAll(async () => {
    t = await startTestRelay({ flagMaxNameLength: MAX_NAME_LENGTH });
    server = await t.keyFor('server', 'production');
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a flag has the longest name the relay allows, then every route that names a flag accepts it', async () => {
    const created = await t.call('POST', '/api/v1/feature-flags', { body: longFlag() });
    expect(created.status, created.text).toBe(201);
    for (const route of FLAG_ROUTE_CALLS) {
      const answer = await route.call(t, { server });
      expect({ route: route.operationId, status: answer.status, body: answer.text }).toMatchObject({
        route: route.operationId,
        status: route.expected,
      });
    }
  });

  it('when the OpenAPI document is read, then it names every route with a flag in its path and bounds names by the setting', async () => {
    const document = (await t.call('GET', '/openapi.json')).body;
    const withFlagInPath = Object.values(document.paths as Record<string, Record<string, { operationId: string }>>)
      .filter((_operations, index) => Object.keys(document.paths)[index]!.includes('{'))
      .flatMap((operations) => Object.values(operations).map((operation) => operation.operationId))
      .filter((operationId) => operationId !== 'revokeApiKey');
    expect(FLAG_ROUTE_CALLS.map((route) => route.operationId)).toEqual(expect.arrayContaining(withFlagInPath));
    const getFlag = document.paths['/api/v1/feature-flags/{name}'].get;
    expect(getFlag.parameters.find((parameter: { in: string }) => parameter.in === 'path').schema.maxLength).toBe(
      MAX_NAME_LENGTH,
    );
    const createBody = document.paths['/api/v1/feature-flags'].post.requestBody.content['application/json'].schema;
    expect(createBody.properties.name.maxLength).toBe(MAX_NAME_LENGTH);
  });

  it('when a name is one character over the setting, then the flag routes answer 400 naming the setting', async () => {
    const answer = await t.call('GET', `/api/v1/feature-flags/a${LONG_NAME}`);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('SWITCHYARD_FLAG_MAX_NAME_LENGTH');
  });
});
