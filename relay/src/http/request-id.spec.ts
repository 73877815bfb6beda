import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('X-Request-Id', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay({ logLevel: 'debug' });
  });
  afterAll(async () => {
    await t.stop();
  });

  const requestLine = (id: string) =>
    t.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'request' && line.requestId === id);

  it('when the caller sends none, then the relay answers a new one and logs the request under it', async () => {
    const answer = await t.call('GET', '/api/v1/feature-flags');
    const id = answer.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    await expect.poll(() => requestLine(id)).toMatchObject({ route: '/api/v1/feature-flags', status: 200 });
  });

  it('when the caller sends a sane one, then it is kept in the answer, the problem body and the log', async () => {
    const answer = await t.call('GET', '/api/v1/feature-flags/no-such-flag', {
      headers: { 'x-request-id': 'lb-7f3a.42:trace=9' },
    });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('x-request-id')).toBe('lb-7f3a.42:trace=9');
    expect(answer.body).toMatchObject({ code: 'FLAG_NOT_FOUND', requestId: 'lb-7f3a.42:trace=9' });
    await expect.poll(() => requestLine('lb-7f3a.42:trace=9')).toMatchObject({ status: 404 });
  });

  it.each([
    ['too long', 'x'.repeat(129)],
    ['with spaces and quotes', 'a b "c"'],
    ['with control-like text', 'id\\u000a{"level":"error"}'],
  ])('when the incoming one is %s, then a new one replaces it', async (_what, incoming) => {
    const answer = await t.call('GET', '/api/v1/nothing-here', { headers: { 'x-request-id': incoming } });
    const id = answer.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    expect(answer.body.requestId).toBe(id);
  });
});
