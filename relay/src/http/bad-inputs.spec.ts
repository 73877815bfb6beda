import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type CallOptions, type TestRelay } from './testing/test-relay.js';

interface BadInput {
  what: string;
  method: string;
  path: string;
  options: CallOptions;
  status: number;
  code: string;
  /** A path `errors` must name (400 only). */
  errorPath?: string;
  /** Or the start of one (where a too-deep value was cut off). */
  errorPathPrefix?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const FLAGS = '/api/v1/feature-flags';
const EVALUATE = `${FLAGS}/evaluate`;
const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

const CASES: BadInput[] = [
  { what: 'a body that is not JSON', method: 'POST', path: FLAGS, options: { rawBody: '{"name": ', headers: JSON_HEADERS }, status: 400, code: 'INVALID_INPUT', errorPath: '' },
  { what: 'a text/plain body', method: 'POST', path: FLAGS, options: { rawBody: 'name=x', headers: { 'content-type': 'text/plain' } }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { what: 'a form body', method: 'POST', path: EVALUATE, options: { rawBody: 'flagName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { what: 'a body with no content type', method: 'POST', path: FLAGS, options: { rawBody: '{"name":"x"}' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { what: 'a latin-1 JSON body', method: 'POST', path: FLAGS, options: { rawBody: '{"name":"x"}', headers: { 'content-type': 'application/json; charset=latin1' } }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { what: 'a compressed body', method: 'POST', path: EVALUATE, options: { rawBody: 'not gzip at all', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' } }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { what: 'a body that is JSON null', method: 'POST', path: EVALUATE, options: { rawBody: 'null', headers: JSON_HEADERS }, status: 400, code: 'INVALID_INPUT', errorPath: '' },
  { what: 'a path with broken percent-encoding', method: 'GET', path: `${FLAGS}/%E0%A4%A`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'params' },
  { what: 'a lone percent sign in the path', method: 'GET', path: `${FLAGS}/%`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'params' },
  { what: 'a query operator in a query parameter name', method: 'GET', path: `${FLAGS}?environment[$gt]=x`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'query.environment[$gt]' },
  { what: 'a body over the size limit', method: 'POST', path: FLAGS, options: { rawBody: JSON.stringify({ name: 'big', description: 'x'.repeat(1_100_000) }), headers: JSON_HEADERS }, status: 413, code: 'BODY_TOO_LARGE' },
  { what: 'nesting beyond the depth limit', method: 'POST', path: EVALUATE, options: { rawBody: JSON.stringify({ userContext: { attributes: { a: JSON.parse(deep(70)) } } }), headers: JSON_HEADERS }, status: 400, code: 'INVALID_INPUT', errorPathPrefix: 'userContext.attributes.a[0]' },
  { what: 'nesting deep enough to overflow a recursive parser', method: 'POST', path: FLAGS, options: { rawBody: deep(200_000), headers: JSON_HEADERS }, status: 400, code: 'INVALID_INPUT' },
  { what: 'a query operator as the flag name', method: 'POST', path: FLAGS, options: { body: { name: { $gt: '' } } }, status: 400, code: 'INVALID_INPUT', errorPath: 'name.$gt' },
  { what: 'a query operator inside a flag', method: 'POST', path: FLAGS, options: { body: { name: 'op-inside', description: { $ne: 1 } } }, status: 400, code: 'INVALID_INPUT', errorPath: 'description.$ne' },
  { what: 'a __proto__ key', method: 'POST', path: FLAGS, options: { rawBody: '{"name":"proto","__proto__":{"admin":true}}', headers: JSON_HEADERS }, status: 400, code: 'INVALID_INPUT', errorPath: '__proto__' },
  { what: 'a JSON array as a flag', method: 'POST', path: FLAGS, options: { body: [] }, status: 400, code: 'INVALID_INPUT', errorPath: '' },
  { what: 'a JSON string as a flag', method: 'POST', path: FLAGS, options: { body: 'flag' }, status: 400, code: 'INVALID_INPUT', errorPath: '' },
  { what: 'a flag name that is not kebab-case', method: 'POST', path: FLAGS, options: { body: { name: 'Bad Name' } }, status: 400, code: 'INVALID_INPUT', errorPath: 'name' },
  { what: 'a flag for an unknown environment', method: 'POST', path: FLAGS, options: { body: { name: 'unknown-env', environments: ['prod'] } }, status: 400, code: 'INVALID_INPUT', errorPath: 'environments.prod' },
  { what: 'a percentage above 100', method: 'POST', path: FLAGS, options: { body: { name: 'too-much', rolloutConfig: { strategy: 'percentage', percentage: 150 } } }, status: 400, code: 'INVALID_INPUT' },
  { what: 'a query operator in the path', method: 'GET', path: `${FLAGS}/%24gt`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'params.name' },
  { what: 'limit 0', method: 'GET', path: `${FLAGS}?limit=0`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'query.limit' },
  { what: 'a limit above the maximum', method: 'GET', path: `${FLAGS}?limit=100000`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'query.limit' },
  { what: 'a limit that is not a number', method: 'GET', path: `${FLAGS}?limit=ten`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'query.limit' },
  { what: 'a forged cursor', method: 'GET', path: `${FLAGS}?cursor=bm90LWpzb24`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'query.cursor' },
  { what: 'an unknown environment filter', method: 'GET', path: `${FLAGS}?environment=prod`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'query.environment' },
  { what: 'a repeated query parameter', method: 'GET', path: `${FLAGS}?tag=a&tag=b`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'query.tag' },
  { what: 'an unknown query parameter', method: 'GET', path: `${FLAGS}?sort=name`, options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'query.sort' },
  { what: 'a flagName that is not a string', method: 'POST', path: EVALUATE, options: { body: { flagName: 42 } }, status: 400, code: 'INVALID_INPUT', errorPath: 'flagName' },
  { what: 'both flagName and flagNames', method: 'POST', path: EVALUATE, options: { body: { flagName: 'a', flagNames: ['b'] } }, status: 400, code: 'INVALID_INPUT', errorPath: 'flagNames' },
  { what: 'a query operator in the user context', method: 'POST', path: EVALUATE, options: { body: { userContext: { userId: { $gt: '' } } } }, status: 400, code: 'INVALID_INPUT', errorPath: 'userContext.userId.$gt' },
  { what: 'an unknown user context field', method: 'POST', path: EVALUATE, options: { body: { userContext: { user_id: 'u' } } }, status: 400, code: 'INVALID_INPUT', errorPath: 'userContext.user_id' },
  { what: 'an unknown evaluation environment', method: 'POST', path: EVALUATE, options: { body: { environment: 'prod' } }, status: 400, code: 'INVALID_INPUT', errorPath: 'environment' },
  { what: 'a PATCH with a non-boolean enabled', method: 'PATCH', path: `${FLAGS}/existing?force=true`, options: { body: { enabled: 'yes' } }, status: 400, code: 'INVALID_INPUT', errorPath: 'enabled' },
  { what: 'a PATCH making the flag invalid', method: 'PATCH', path: `${FLAGS}/existing`, options: { body: { rolloutConfig: { percentage: 150 }, version: 1 } }, status: 400, code: 'INVALID_INPUT' },
  { what: 'a PUT renaming the flag', method: 'PUT', path: `${FLAGS}/existing`, options: { body: { name: 'other-name', version: 1 } }, status: 400, code: 'INVALID_INPUT', errorPath: 'name' },
  { what: 'an If-Match that is not a version', method: 'PATCH', path: `${FLAGS}/existing`, options: { body: { enabled: true }, headers: { 'if-match': '"abc"' } }, status: 400, code: 'INVALID_INPUT', errorPath: 'If-Match' },
  { what: 'an If-Match contradicting the body', method: 'PATCH', path: `${FLAGS}/existing`, options: { body: { enabled: true, version: 2 }, headers: { 'if-match': '"1"' } }, status: 400, code: 'INVALID_INPUT', errorPath: 'version' },
  { what: 'a write without a version', method: 'DELETE', path: `${FLAGS}/existing`, options: {}, status: 428, code: 'VERSION_REQUIRED' },
  { what: 'a stale version', method: 'PATCH', path: `${FLAGS}/existing`, options: { body: { enabled: true, version: 9 } }, status: 409, code: 'VERSION_CONFLICT' },
  { what: 'a key with an unknown role', method: 'POST', path: '/api/v1/api-keys', options: { body: { name: 'k', role: 'root' } }, status: 400, code: 'INVALID_INPUT', errorPath: 'role' },
  { what: 'a client key without an environment', method: 'POST', path: '/api/v1/api-keys', options: { body: { name: 'k', role: 'client' } }, status: 400, code: 'INVALID_INPUT', errorPath: 'environment' },
  { what: 'a viewer key with an environment', method: 'POST', path: '/api/v1/api-keys', options: { body: { name: 'k', role: 'viewer', environment: 'production' } }, status: 400, code: 'INVALID_INPUT', errorPath: 'environment' },
  { what: 'revoking an unknown key', method: 'DELETE', path: '/api/v1/api-keys/ffffffffffffffff', options: {}, status: 404, code: 'API_KEY_NOT_FOUND' },
  { what: 'an audit since that is not a time', method: 'GET', path: '/api/v1/audit?since=yesterday', options: {}, status: 400, code: 'INVALID_INPUT', errorPath: 'query.since' },
  { what: 'a malformed Authorization header', method: 'GET', path: FLAGS, options: { key: null, headers: { authorization: 'Bearer' } }, status: 401, code: 'UNAUTHORIZED' },
  { what: 'a key in the right format with a wrong secret', method: 'GET', path: FLAGS, options: { key: `sy_admin_0123456789abcdef_${'A'.repeat(43)}` }, status: 401, code: 'UNAUTHORIZED' },
  { what: 'an unknown route', method: 'GET', path: '/api/v1/nothing-here', options: {}, status: 404, code: 'ROUTE_NOT_FOUND' },
  { what: 'a method the path does not answer', method: 'PUT', path: '/api/v1/audit', options: {}, status: 405, code: 'METHOD_NOT_ALLOWED' },
];

describe('bad inputs: each answers its status as problem+json, never a 500', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay();
    await t.call('POST', FLAGS, { body: { name: 'existing', environments: ['production'], enabled: true } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each(CASES)('$what → $status $code', async (c) => {
    const answer = await t.call(c.method, c.path, c.options);
    expect(answer.status, answer.text).toBe(c.status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status: c.status, code: c.code, type: expect.stringMatching(/^urn:switchyard:problem:/) });
    expect(typeof answer.body.title).toBe('string');
    expect(typeof answer.body.detail).toBe('string');
    expect(Array.isArray(answer.body.errors)).toBe(true);
    for (const error of answer.body.errors) expect(Object.keys(error).sort()).toEqual(['expected', 'message', 'path']);
    if (c.errorPath !== undefined) {
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain(c.errorPath);
    }
    if (c.errorPathPrefix !== undefined) {
      expect(answer.body.errors.some((error: { path: string }) => error.path.startsWith(c.errorPathPrefix!))).toBe(true);
    }
  });

  it('after every bad input the relay still answers and counted no 500', async () => {
    expect((await t.call('GET', '/healthz')).status).toBe(200);
    const metrics = await t.call('GET', '/metrics');
    expect(metrics.text).not.toMatch(/status="5\d\d"/);
  });
});
