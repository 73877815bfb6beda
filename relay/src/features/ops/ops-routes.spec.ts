import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';

describe('operations routes', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when the process is up, then /healthz answers ok without a key', async () => {
    const answer = await t.call('GET', '/healthz', { key: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });

  it('when the store answers, then /readyz answers ready', async () => {
    const answer = await t.call('GET', '/readyz', { key: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ready' });
  });

  it('when requests were served, then /metrics counts them by route template and status, with latency buckets', async () => {
    await t.call('GET', '/api/v1/feature-flags/some-flag');
    const answer = await t.call('GET', '/metrics', { key: null });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(answer.text).toContain(
      'switchyard_http_requests_total{route="/api/v1/feature-flags/{name}",method="GET",status="404"} 1',
    );
    expect(answer.text).toMatch(
      /switchyard_http_request_duration_seconds_bucket\{le="\+Inf",route="\/api\/v1\/feature-flags\/\{name\}",method="GET"\} 1/,
    );
    expect(answer.text).toContain('# TYPE switchyard_store_errors_total counter');
    expect(answer.text).toMatch(/^switchyard_flags 0$/m);
    expect(answer.text).toMatch(/^switchyard_flag_cache_revision \d+$/m);
    // The text format allows empty lines between metrics; every other line is a comment or a sample. A value
    // may be NaN (an event-loop figure before its first sample), which prom-client writes "Nan"; Prometheus
    // reads it case-insensitively.
    for (const line of answer.text.split('\n').filter((l) => l !== '')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{(\w+="([^"\\]|\\.)*",?)*\})? ([\d.e+-]+|Nan))$/);
    }
  });

  it('serves an OpenAPI 3.1 document whose operations name their roles and reference defined schemas', async () => {
    const answer = await t.call('GET', '/openapi.json', { key: null });
    expect(answer.status).toBe(200);
    const document = answer.body;
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.values(document.paths as Record<string, Record<string, any>>).flatMap((item) =>
      Object.values(item),
    );
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(operations.length);
    for (const op of operations) {
      expect(op.responses).toBeDefined();
      if (op.security.length > 0) expect(op['x-switchyard-roles'].length).toBeGreaterThan(0);
    }
    const refs = [...answer.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
    for (const ref of refs) expect(document.components.schemas[ref], ref).toBeDefined();
    const patch = document.paths['/api/v1/feature-flags/{name}'].patch;
    expect(patch.requestBody.content['application/json'].schema.properties.rolloutConfig).toBeDefined();
    expect(patch.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:name', 'query:force', 'query:environment']),
    );
  });

  it('when the store is closed, then /readyz and writes answer 503 while /healthz and evaluations still answer', async () => {
    const other = await startTestRelay();
    try {
      await other.relay.store.close();
      expect((await other.call('GET', '/readyz', { key: null })).status).toBe(503);
      expect((await other.call('GET', '/healthz', { key: null })).status).toBe(200);
      const evaluation = await other.call('POST', '/api/v1/feature-flags/evaluate', { body: {} });
      expect(evaluation.status, 'evaluations are answered from memory').toBe(200);
      const write = await other.call('POST', '/api/v1/feature-flags', { body: { name: 'while-down' } });
      expect(write.status, write.text).toBe(503);
      expect(write.body.code).toBe('STORE_UNAVAILABLE');
      const metrics = await other.call('GET', '/metrics', { key: null });
      expect(metrics.text).toContain('switchyard_store_errors_total{operation="ping",code="STORE_UNAVAILABLE"} 1');
    } finally {
      await other.stop();
    }
  });
});

describe('start-up', () => {
  it('when the port is taken, then startRelay rejects and releases the data directory for the next start', async () => {
    const first = await startTestRelay();
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-port-taken-'));
    try {
      await expect(startTestRelay({ port: first.relay.port }, dir)).rejects.toThrow(/EADDRINUSE/);
      const second = await startTestRelay({}, dir);
      expect((await second.call('GET', '/healthz')).status).toBe(200);
      await second.stop();
    } finally {
      await first.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('behind a proxy', () => {
  it.each([
    [false, '127.0.0.1'],
    ['loopback', '203.0.113.9'],
  ])('when SWITCHYARD_TRUST_PROXY is %s, then the client address logged is %s', async (trustProxy, ip) => {
    const t = await startTestRelay({ trustProxy, logLevel: 'debug' });
    try {
      await t.call('GET', '/healthz', { headers: { 'x-forwarded-for': '203.0.113.9' } });
      const line = t.logs
        .map((text) => JSON.parse(text))
        .find((entry) => entry.msg === 'request' && entry.path === '/healthz');
      expect(line?.ip?.replace(/^::ffff:/, '')).toBe(ip);
    } finally {
      await t.stop();
    }
  });
});

describe('stopping', () => {
  it('when stop is called during a request, then that request still gets its answer', async () => {
    const t = await startTestRelay({ shutdownGraceSeconds: 30 });
    const body = JSON.stringify({ name: 'in-flight', environments: ['production'] });
    const url = new URL(`${t.url}/api/v1/feature-flags`);
    // `Expect: 100-continue`: the relay answers "continue" once it has the request, and only then is the body sent.
    const request = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.adminKey}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const answered = new Promise<number>((resolve, reject) => {
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
    });
    request.flushHeaders();
    await once(request, 'continue');
    const stopped = t.stop();
    request.end(body);
    expect(await answered).toBe(201);
    await stopped;
  });
});
