import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-Bq3x.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('switchyard '.repeat(200))});`;

/** A console build as Vite lays it out: index.html, hashed assets, an unhashed public file. */
async function fakeBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-console-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets/index-Bq3x.js'), SCRIPT);
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

const lines = (t: TestRelay) => t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the relay serving the console', () => {
  let build: string;
  let t: TestRelay;
  beforeAll(async () => {
    build = await fakeBuild();
    t = await startTestRelay({ consoleDir: build, logLevel: 'info' });
  });
  afterAll(async () => {
    await t.stop();
    await rm(build, { recursive: true, force: true });
  });

  it('when the relay starts, then its start message gives the console address', () => {
    expect(lines(t).find((line) => line.msg === 'relay started')).toMatchObject({ url: t.url, console: `${t.url}/` });
  });

  it('when a browser opens /, then it gets index.html with the security headers, revalidated on every load', async () => {
    const answer = await t.call('GET', '/', { key: null });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(INDEX);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = answer.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    expect(answer.headers.get('cache-control')).toBe('no-cache');
  });

  it('when a hashed asset is fetched, then it is cached for good and sent gzipped to those who accept it', async () => {
    const answer = await t.call('GET', '/assets/index-Bq3x.js', { key: null, headers: { 'accept-encoding': 'gzip' } });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(SCRIPT);
    expect(answer.headers.get('content-encoding')).toBe('gzip');
    expect(Number(answer.headers.get('content-length'))).toBeLessThan(SCRIPT.length / 4);
    expect(answer.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('when the browser revalidates with the ETag, then the answer is 304 without a body', async () => {
    const first = await t.call('GET', '/favicon.svg', { key: null });
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await t.call('GET', '/favicon.svg', {
      key: null,
      headers: { 'if-none-match': first.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it.each([
    ['GET', '/api/v1/nothing-here', 404],
    ['GET', '/api', 404],
    ['GET', '/ofrep/v1/nothing-here', 404],
    ['GET', '/assets/gone-Xy12.js', 404],
    ['GET', '/flags/checkout', 404],
    ['POST', '/', 404],
    ['POST', '/healthz', 405],
  ])('when %s %s matches no route and no file, then it is still a problem answer', async (method, path, status) => {
    const answer = await t.call(method, path, { key: null });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('when the API, OFREP and ops routes are called, then they answer as before', async () => {
    expect((await t.call('GET', '/api/v1/feature-flags')).body).toMatchObject({ flags: [] });
    expect((await t.call('GET', '/healthz', { key: null })).body).toEqual({ status: 'ok' });
    const serverKey = await t.keyFor('server', 'production');
    const ofrep = await t.call('POST', '/ofrep/v1/evaluate/flags/nope', {
      key: serverKey,
      body: { context: { targetingKey: 'u' } },
    });
    expect(ofrep.body).toMatchObject({ key: 'nope', errorCode: 'FLAG_NOT_FOUND' });
    expect((await t.call('GET', '/openapi.json', { key: null })).headers.get('content-security-policy')).toBeNull();
  });
});

describe('a relay without the console', () => {
  it('when the console is not built, then the relay starts, says so, and / is a 404 problem', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'switchyard-console-'));
    const t = await startTestRelay({ consoleDir: empty, logLevel: 'info' });
    try {
      expect(lines(t).find((line) => line.msg === 'console not served: it is not built')).toMatchObject({
        level: 'warn',
        directory: empty,
      });
      expect(lines(t).find((line) => line.msg === 'relay started')?.console).toBeUndefined();
      expect((await t.call('GET', '/', { key: null })).status).toBe(404);
      expect((await t.call('GET', '/healthz', { key: null })).status).toBe(200);
    } finally {
      await t.stop();
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('when SWITCHYARD_CONSOLE_ENABLED is false, then a built console is not served', async () => {
    const build = await fakeBuild();
    const t = await startTestRelay({ consoleDir: build, consoleEnabled: false });
    try {
      expect((await t.call('GET', '/', { key: null })).status).toBe(404);
      expect((await t.call('GET', '/assets/index-Bq3x.js', { key: null })).status).toBe(404);
    } finally {
      await t.stop();
      await rm(build, { recursive: true, force: true });
    }
  });
});
