import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type CallOptions, type TestRelay } from './testing/test-relay.js';

interface BadInput {
  what: string;
  method: string;
  path: string;
  options: CallOptions;
  status: number;
  code: string;
  /** Text the problem's `detail` contains: the message a user reads. */
  detail: string;
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
  {
    what: 'a body that is not JSON',
    method: 'POST',
    path: FLAGS,
    options: { rawBody: '{"name": ', headers: JSON_HEADERS },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'the body is not valid JSON',
    errorPath: '',
  },
  {
    what: 'a text/plain body',
    method: 'POST',
    path: FLAGS,
    options: { rawBody: 'name=x', headers: { 'content-type': 'text/plain' } },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'send the body as application/json, not text/plain',
  },
  {
    what: 'a form body',
    method: 'POST',
    path: EVALUATE,
    options: { rawBody: 'flagName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'not application/x-www-form-urlencoded',
  },
  {
    what: 'a body with no content type',
    method: 'POST',
    path: FLAGS,
    options: { rawBody: '{"name":"x"}' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'send the body as application/json',
  },
  {
    what: 'a latin-1 JSON body',
    method: 'POST',
    path: FLAGS,
    options: { rawBody: '{"name":"x"}', headers: { 'content-type': 'application/json; charset=latin1' } },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'UTF-8',
  },
  {
    what: 'a compressed body',
    method: 'POST',
    path: EVALUATE,
    options: { rawBody: 'not gzip at all', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' } },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'uncompressed (no Content-Encoding), not gzip',
  },
  {
    what: 'a body that is JSON null',
    method: 'POST',
    path: EVALUATE,
    options: { rawBody: 'null', headers: JSON_HEADERS },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'expected object, received null',
    errorPath: '',
  },
  {
    what: 'a path with broken percent-encoding',
    method: 'GET',
    path: `${FLAGS}/%E0%A4%A`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'the path could not be decoded',
    errorPath: 'params',
  },
  {
    what: 'a lone percent sign in the path',
    method: 'GET',
    path: `${FLAGS}/%`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'the path could not be decoded',
    errorPath: 'params',
  },
  {
    what: 'a query operator in a query parameter name',
    method: 'GET',
    path: `${FLAGS}?environment[$gt]=x`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: '"environment[$gt]" is not a field of this request',
    errorPath: 'query.environment[$gt]',
  },
  {
    what: 'a body over the size limit',
    method: 'POST',
    path: FLAGS,
    options: { rawBody: JSON.stringify({ name: 'big', description: 'x'.repeat(1_100_000) }), headers: JSON_HEADERS },
    status: 413,
    code: 'BODY_TOO_LARGE',
    detail: 'larger than 1048576 bytes (SWITCHYARD_MAX_BODY_BYTES)',
  },
  {
    what: 'nesting beyond the depth limit',
    method: 'POST',
    path: EVALUATE,
    options: {
      rawBody: JSON.stringify({ userContext: { attributes: { a: JSON.parse(deep(70)) } } }),
      headers: JSON_HEADERS,
    },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'nested deeper than 64 levels',
    errorPathPrefix: 'userContext.attributes.a[0]',
  },
  {
    what: 'nesting deep enough to overflow a recursive parser',
    method: 'POST',
    path: FLAGS,
    options: { rawBody: deep(200_000), headers: JSON_HEADERS },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'nested deeper than 64 levels',
  },
  {
    what: 'a query operator as the flag name',
    method: 'POST',
    path: FLAGS,
    options: { body: { name: { $gt: '' } } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: '"$gt" looks like a database operator',
    errorPath: 'name.$gt',
  },
  {
    what: 'a query operator inside a flag',
    method: 'POST',
    path: FLAGS,
    options: { body: { name: 'op-inside', description: { $ne: 1 } } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: '"$ne" looks like a database operator',
    errorPath: 'description.$ne',
  },
  {
    what: 'a __proto__ key',
    method: 'POST',
    path: FLAGS,
    options: { rawBody: '{"name":"proto","__proto__":{"admin":true}}', headers: JSON_HEADERS },
    status: 400,
    code: 'INVALID_INPUT',
    detail: '"__proto__" is not accepted as a key',
    errorPath: '__proto__',
  },
  {
    what: 'a JSON array as a flag',
    method: 'POST',
    path: FLAGS,
    options: { body: [] },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'expected a JSON object describing a flag, got an array',
    errorPath: '',
  },
  {
    what: 'a JSON string as a flag',
    method: 'POST',
    path: FLAGS,
    options: { body: 'flag' },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'expected a JSON object describing a flag',
    errorPath: '',
  },
  {
    what: 'a flag name that is not kebab-case',
    method: 'POST',
    path: FLAGS,
    options: { body: { name: 'Bad Name' } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'expected a kebab-case name',
    errorPath: 'name',
  },
  {
    what: 'a flag for an unknown environment',
    method: 'POST',
    path: FLAGS,
    options: { body: { name: 'unknown-env', environments: ['prod'] } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'unknown environment "prod"',
    errorPath: 'environments.prod',
  },
  {
    what: 'a percentage above 100',
    method: 'POST',
    path: FLAGS,
    options: { body: { name: 'too-much', rolloutConfig: { strategy: 'percentage', percentage: 150 } } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'rolloutConfig.percentage: expected a number from 0 to 100, got 150',
  },
  {
    what: 'a query operator in the path',
    method: 'GET',
    path: `${FLAGS}/%24gt`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'a flag name is kebab-case',
    errorPath: 'params.name',
  },
  {
    what: 'limit 0',
    method: 'GET',
    path: `${FLAGS}?limit=0`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'limit 0 is out of range',
    errorPath: 'query.limit',
  },
  {
    what: 'a limit above the maximum',
    method: 'GET',
    path: `${FLAGS}?limit=100000`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'limit 100000 is out of range',
    errorPath: 'query.limit',
  },
  {
    what: 'a limit that is not a number',
    method: 'GET',
    path: `${FLAGS}?limit=ten`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'query.limit: a whole number',
    errorPath: 'query.limit',
  },
  {
    what: 'a forged cursor',
    method: 'GET',
    path: `${FLAGS}?cursor=bm90LWpzb24`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'the cursor is not one this relay issued',
    errorPath: 'query.cursor',
  },
  {
    what: 'an unknown environment filter',
    method: 'GET',
    path: `${FLAGS}?environment=prod`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'unknown environment "prod"',
    errorPath: 'query.environment',
  },
  {
    what: 'a repeated query parameter',
    method: 'GET',
    path: `${FLAGS}?tag=a&tag=b`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'query.tag: given more than once',
    errorPath: 'query.tag',
  },
  {
    what: 'an unknown query parameter',
    method: 'GET',
    path: `${FLAGS}?sort=name`,
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: '"sort" is not a field of this request',
    errorPath: 'query.sort',
  },
  {
    what: 'a flagName that is not a string',
    method: 'POST',
    path: EVALUATE,
    options: { body: { flagName: 42 } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'flagName: Invalid input: expected string, received number',
    errorPath: 'flagName',
  },
  {
    what: 'both flagName and flagNames',
    method: 'POST',
    path: EVALUATE,
    options: { body: { flagName: 'a', flagNames: ['b'] } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'send flagName (one flag) or flagNames (several), not both',
    errorPath: 'flagNames',
  },
  {
    what: 'a query operator in the user context',
    method: 'POST',
    path: EVALUATE,
    options: { body: { userContext: { userId: { $gt: '' } } } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'userContext.userId.$gt: "$gt" looks like a database operator',
    errorPath: 'userContext.userId.$gt',
  },
  {
    what: 'an unknown user context field',
    method: 'POST',
    path: EVALUATE,
    options: { body: { userContext: { user_id: 'u' } } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: '"user_id" is not a field of this request',
    errorPath: 'userContext.user_id',
  },
  {
    what: 'an unknown evaluation environment',
    method: 'POST',
    path: EVALUATE,
    options: { body: { environment: 'prod' } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'environment: unknown environment "prod"',
    errorPath: 'environment',
  },
  {
    what: 'a PATCH with a non-boolean enabled',
    method: 'PATCH',
    path: `${FLAGS}/existing?force=true`,
    options: { body: { enabled: 'yes' } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'enabled: Invalid input: expected boolean, received string',
    errorPath: 'enabled',
  },
  {
    what: 'a PATCH making the flag invalid',
    method: 'PATCH',
    path: `${FLAGS}/existing`,
    options: { body: { rolloutConfig: { percentage: 150 }, version: 1 } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'environments.production.rules[0].percentage: expected a number from 0 to 100, got 150',
  },
  {
    what: 'a PUT renaming the flag',
    method: 'PUT',
    path: `${FLAGS}/existing`,
    options: { body: { name: 'other-name', version: 1 } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'a flag cannot be renamed',
    errorPath: 'name',
  },
  {
    what: 'an If-Match that is not a version',
    method: 'PATCH',
    path: `${FLAGS}/existing`,
    options: { body: { enabled: true }, headers: { 'if-match': '"abc"' } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'If-Match "abc" is not a version',
    errorPath: 'If-Match',
  },
  {
    what: 'an If-Match contradicting the body',
    method: 'PATCH',
    path: `${FLAGS}/existing`,
    options: { body: { enabled: true, version: 2 }, headers: { 'if-match': '"1"' } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'If-Match names version 1 but the body names 2',
    errorPath: 'version',
  },
  {
    what: 'a stale version',
    method: 'PATCH',
    path: `${FLAGS}/existing`,
    options: { body: { enabled: true, version: 9 } },
    status: 409,
    code: 'VERSION_CONFLICT',
    detail: 'is at version 1, not 9',
  },
  {
    what: 'a key with an unknown role',
    method: 'POST',
    path: '/api/v1/api-keys',
    options: { body: { name: 'k', role: 'root' } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'role: Invalid option',
    errorPath: 'role',
  },
  {
    what: 'a client key without an environment',
    method: 'POST',
    path: '/api/v1/api-keys',
    options: { body: { name: 'k', role: 'client' } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'a client key is scoped to one environment',
    errorPath: 'environment',
  },
  {
    what: 'a viewer key with an environment',
    method: 'POST',
    path: '/api/v1/api-keys',
    options: { body: { name: 'k', role: 'viewer', environment: 'production' } },
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'viewer keys see every environment',
    errorPath: 'environment',
  },
  {
    what: 'revoking an unknown key',
    method: 'DELETE',
    path: '/api/v1/api-keys/ffffffffffffffff',
    options: {},
    status: 404,
    code: 'API_KEY_NOT_FOUND',
    detail: 'no API key with id "ffffffffffffffff"',
  },
  {
    what: 'an audit since that is not a time',
    method: 'GET',
    path: '/api/v1/audit?since=yesterday',
    options: {},
    status: 400,
    code: 'INVALID_INPUT',
    detail: 'query.since: Invalid ISO datetime',
    errorPath: 'query.since',
  },
  {
    what: 'a malformed Authorization header',
    method: 'GET',
    path: FLAGS,
    options: { key: null, headers: { authorization: 'Bearer' } },
    status: 401,
    code: 'UNAUTHORIZED',
    detail: 'send an API key as "Authorization: Bearer <key>"',
  },
  {
    what: 'a key in the right format with a wrong secret',
    method: 'GET',
    path: FLAGS,
    options: { key: `sy_admin_0123456789abcdef_${'A'.repeat(43)}` },
    status: 401,
    code: 'UNAUTHORIZED',
    detail: 'the API key is unknown or revoked',
  },
  {
    what: 'an unknown route',
    method: 'GET',
    path: '/api/v1/nothing-here',
    options: {},
    status: 404,
    code: 'ROUTE_NOT_FOUND',
    detail: 'no route answers GET /api/v1/nothing-here',
  },
  {
    what: 'a method the path does not answer',
    method: 'PUT',
    path: '/api/v1/audit',
    options: {},
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
    detail: 'this path answers GET',
  },
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

  it.each(CASES)('$what → $status $code "$detail"', async (c) => {
    const answer = await t.call(c.method, c.path, c.options);
    expect(answer.status, answer.text).toBe(c.status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({
      status: c.status,
      code: c.code,
      type: expect.stringMatching(/^urn:switchyard:problem:/),
    });
    expect(typeof answer.body.title).toBe('string');
    expect(answer.body.requestId).toBe(answer.headers.get('x-request-id'));
    expect(answer.body.detail).toContain(c.detail);
    expect(Array.isArray(answer.body.errors)).toBe(true);
    for (const error of answer.body.errors) expect(Object.keys(error).sort()).toEqual(['expected', 'message', 'path']);
    if (c.errorPath !== undefined) {
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain(c.errorPath);
    }
    if (c.errorPathPrefix !== undefined) {
      expect(answer.body.errors.some((error: { path: string }) => error.path.startsWith(c.errorPathPrefix!))).toBe(
        true,
      );
    }
  });

  it('after every bad input the relay still answers and counted no 500', async () => {
    expect((await t.call('GET', '/healthz')).status).toBe(200);
    const metrics = await t.call('GET', '/metrics');
    expect(metrics.text).not.toMatch(/status="5\d\d"/);
  });
});
