import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { evaluateFlag, type Flag } from '@switchyard/core';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallerResolver } from '../../http/caller-resolver.js';
import { createApp } from '../../http/create-app.js';
import type { Principal } from '../../http/route.js';
import { createLogger } from '../../logging/logger.js';
import { RelayMetrics } from '../ops/relay-metrics.js';
import type { StoredFlag } from '../../store/store.js';
import { sampleFlag } from '../../testing/sample-flag.js';
import { StreamHub } from '../stream/stream-hub.js';
import { DEFAULT_STREAM_LIMITS } from '../stream/stream-limits.js';
import { FlagMap } from '../flags/flag-map.js';
import { createCors } from './cors.js';
import { OFREP_BASE_PATH, ofrepRoutes } from './ofrep-routes.js';
import { OfrepService } from './ofrep-service.js';
import { DEFAULT_OFREP_SETTINGS, type OfrepSettings } from './ofrep-settings.js';
import { FlagVisibility } from '../flags/flag-environments.js';

const KEYS: Record<string, Principal> = {
  'client-secret': { keyId: 'k1', name: 'client', role: 'client', environment: 'production' },
  'server-secret': { keyId: 'k2', name: 'server', role: 'server', environment: 'production' },
  'admin-secret': { keyId: 'k3', name: 'admin', role: 'admin' },
};

function stored(flag: Flag, revision: number): StoredFlag {
  return { ...flag, revision, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };
}

const FLAGS: Flag[] = [
  sampleFlag('new-checkout', {
    environments: {
      production: {
        enabled: true,
        rules: [{ strategy: 'user_list', userIds: ['alice', 'secret-vip'] }],
        fallthrough: { serve: false },
      },
    },
  }),
  sampleFlag('theme', {
    type: 'string',
    variants: [
      { name: 'light', value: 'light', weight: 100 },
      { name: 'dark', value: 'dark', weight: 0 },
    ],
    environments: {
      production: {
        enabled: true,
        rules: [
          {
            strategy: 'user_attribute',
            targetingRules: [{ attribute: 'plan', operator: 'equals', values: ['pro'] }],
            variant: 'dark',
          },
        ],
        fallthrough: { serve: true, variant: 'light' },
      },
    },
  }),
  sampleFlag('banner-text', {
    type: 'string',
    variants: [{ name: 'hello', value: 'Hello', weight: 100 }],
    environments: { production: { enabled: false, rules: [], fallthrough: { serve: true } } },
  }),
  sampleFlag('layout', {
    type: 'object',
    variants: [{ name: 'grid', value: { columns: 3 }, weight: 100 }],
    environments: { production: { enabled: false, rules: [], fallthrough: { serve: true } } },
  }),
  sampleFlag('staging-only', { environments: { staging: { enabled: true, rules: [], fallthrough: { serve: true } } } }),
];

let flagMap: FlagMap;
let hub: StreamHub;

function app(settings: Partial<OfrepSettings> = {}, trustProxy: boolean = false) {
  const service = new OfrepService(flagMap, new FlagVisibility(true), evaluateFlag);
  const ofrepSettings = { ...DEFAULT_OFREP_SETTINGS, ...settings };
  return createApp({
    routes: ofrepRoutes({
      service,
      settings: ofrepSettings,
      defaultEnvironment: 'production',
      hub,
      streamToken: async () => 'a-stream-token',
    }),
    callers: new CallerResolver({
      authenticate: async (secret) => KEYS[secret],
      authenticateStreamToken: async () => undefined,
    }),
    metrics: new RelayMetrics(),
    logger: createLogger('silent'),
    limits: { maxBodyBytes: 1024 * 1024, maxJsonDepth: 64 },
    trustProxy,
    mounts: [{ path: OFREP_BASE_PATH, handler: createCors(ofrepSettings.corsAllowedOrigins) }],
  });
}

beforeEach(() => {
  flagMap = new FlagMap();
  flagMap.load(
    FLAGS.map((flag, i) => stored(flag, i + 1)),
    FLAGS.length,
  );
  hub = new StreamHub(flagMap, new FlagVisibility(true), DEFAULT_STREAM_LIMITS);
});

afterEach(() => hub.stop());

const bearer = { Authorization: 'Bearer client-secret' };

describe('POST /ofrep/v1/evaluate/flags/{key}', () => {
  it('when a flag is evaluated, then the answer carries its value, variant and reason', async () => {
    const res = await request(app())
      .post('/ofrep/v1/evaluate/flags/theme')
      .set(bearer)
      .send({ context: { targetingKey: 'bob', plan: 'pro' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      key: 'theme',
      value: 'dark',
      variant: 'dark',
      reason: 'TARGETING_MATCH',
      metadata: { enabled: true },
    });
  });

  it('when the flag has no value for the user, then the answer is DISABLED with the off variant and no value (the client uses its default)', async () => {
    const text = await request(app()).post('/ofrep/v1/evaluate/flags/banner-text').set(bearer).send({ context: {} });
    expect(text.status).toBe(200);
    expect(text.body).toEqual({
      key: 'banner-text',
      variant: 'off',
      reason: 'DISABLED',
      metadata: { enabled: false, reservedVariant: true },
    });
    const object = await request(app()).post('/ofrep/v1/evaluate/flags/layout').set(bearer).send({ context: {} });
    expect(object.body).toEqual({
      key: 'layout',
      variant: 'off',
      reason: 'DISABLED',
      metadata: { enabled: false, reservedVariant: true },
    });
  });

  it('when a flag has no variants, then its answers still name one, on when served and off when not, marked reservedVariant', async () => {
    const served = await request(app())
      .post('/ofrep/v1/evaluate/flags/new-checkout')
      .set(bearer)
      .send({ context: { targetingKey: 'alice' } });
    expect(served.body).toEqual({
      key: 'new-checkout',
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      metadata: { enabled: true, reservedVariant: true },
    });
    const notServed = await request(app())
      .post('/ofrep/v1/evaluate/flags/new-checkout')
      .set(bearer)
      .send({ context: { targetingKey: 'bob' } });
    expect(notServed.body).toEqual({
      key: 'new-checkout',
      value: false,
      variant: 'off',
      reason: 'UNKNOWN',
      metadata: { enabled: false, reservedVariant: true },
    });
  });

  it('when a JSON body comes without a Content-Type or with another one, then it is evaluated all the same', async () => {
    const body = JSON.stringify({ context: { targetingKey: 'bob', plan: 'pro' } });
    for (const contentType of [undefined, 'text/plain', 'application/x-www-form-urlencoded']) {
      const call = request(app()).post('/ofrep/v1/evaluate/flags/theme').set(bearer);
      const res = await (
        contentType === undefined ? call.unset('Content-Type') : call.set('Content-Type', contentType)
      ).send(body);
      expect(res.status, String(contentType)).toBe(200);
      expect(res.body).toMatchObject({ key: 'theme', value: 'dark', variant: 'dark' });
    }
  });

  it('when a body is refused, then the message says what is wrong with it', async () => {
    const send = (raw: string | undefined) => {
      const call = request(app()).post('/ofrep/v1/evaluate/flags/theme').set(bearer).set('Content-Type', 'text/plain');
      return raw === undefined ? call : call.send(raw);
    };
    expect((await send(undefined)).body).toEqual({
      key: 'theme',
      errorCode: 'PARSE_ERROR',
      errorDetails: expect.stringMatching(/^the request has no body: send a JSON object/),
    });
    expect((await send('[1]')).body).toMatchObject({
      errorCode: 'PARSE_ERROR',
      errorDetails: expect.stringMatching(/^the body is an array, not a JSON object/),
    });
    expect((await send('"x"')).body).toMatchObject({
      errorCode: 'PARSE_ERROR',
      errorDetails: expect.stringMatching(/^the body is a string, not a JSON object/),
    });
    expect((await send('context=1')).body).toMatchObject({
      errorCode: 'PARSE_ERROR',
      errorDetails: expect.stringMatching(/^the body is not valid JSON: /),
    });
  });

  it("when the flag does not exist in the key's environment, then 404 FLAG_NOT_FOUND", async () => {
    for (const key of ['nope', 'staging-only']) {
      const res = await request(app()).post(`/ofrep/v1/evaluate/flags/${key}`).set(bearer).send({ context: {} });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ key, errorCode: 'FLAG_NOT_FOUND' });
    }
  });

  it('when the body is not JSON or the context not an object, then 400 with the OFREP failure shape', async () => {
    const parse = await request(app())
      .post('/ofrep/v1/evaluate/flags/theme')
      .set(bearer)
      .set('Content-Type', 'application/json')
      .send('{nope');
    expect(parse.status).toBe(400);
    expect(parse.body).toMatchObject({ key: 'theme', errorCode: 'PARSE_ERROR' });
    const context = await request(app())
      .post('/ofrep/v1/evaluate/flags/theme')
      .set(bearer)
      .send({ context: [1] });
    expect(context.status).toBe(400);
    expect(context.body).toMatchObject({ key: 'theme', errorCode: 'INVALID_CONTEXT' });
  });

  it('when the body is larger than the setting, then 413', async () => {
    const res = await request(app({ maxBodyBytes: 100 }))
      .post('/ofrep/v1/evaluate/flags/theme')
      .set(bearer)
      .send({ context: { blob: 'x'.repeat(200) } });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ key: 'theme', errorCode: 'GENERAL' });
  });

  it('when the key comes as X-API-Key, then it is accepted; when missing, unknown or a management key, then 401/401/403', async () => {
    const body = { context: {} };
    expect(
      (await request(app()).post('/ofrep/v1/evaluate/flags/theme').set('X-API-Key', 'server-secret').send(body)).status,
    ).toBe(200);
    expect((await request(app()).post('/ofrep/v1/evaluate/flags/theme').send(body)).status).toBe(401);
    const unknown = await request(app()).post('/ofrep/v1/evaluate/flags/theme').set('X-API-Key', 'wrong').send(body);
    expect(unknown.status).toBe(401);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(
      (
        await request(app())
          .post('/ofrep/v1/evaluate/flags/theme')
          .set('Authorization', 'Bearer admin-secret')
          .send(body)
      ).status,
    ).toBe(403);
  });
});

describe('POST /ofrep/v1/evaluate/flags', () => {
  it('when evaluating in bulk, then every flag of the environment is answered, sorted, with an ETag and an event stream', async () => {
    const res = await request(app())
      .post('/ofrep/v1/evaluate/flags')
      .set(bearer)
      .send({ context: { targetingKey: 'alice' } });
    expect(res.status).toBe(200);
    expect(res.body.flags.map((f: { key: string }) => f.key)).toEqual([
      'banner-text',
      'layout',
      'new-checkout',
      'theme',
    ]);
    expect(res.body.flags[0]).toEqual({
      key: 'banner-text',
      variant: 'off',
      reason: 'DISABLED',
      metadata: { enabled: false, reservedVariant: true },
    });
    expect(res.body.flags[2]).toMatchObject({ key: 'new-checkout', value: true });
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(res.body.eventStreams).toEqual([
      { type: 'sse', endpoint: { requestUri: '/ofrep/v1/event-stream?key=client-secret' }, inactivityDelaySec: 120 },
    ]);
  });

  it('when If-None-Match names the current answer, then 304', async () => {
    const first = await request(app())
      .post('/ofrep/v1/evaluate/flags')
      .set(bearer)
      .send({ context: { targetingKey: 'bob' } });
    const again = await request(app())
      .post('/ofrep/v1/evaluate/flags')
      .set(bearer)
      .set('If-None-Match', first.headers.etag as string)
      .send({ context: { targetingKey: 'bob' } });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it("when a change leaves this context's values alone, then the ETag stays; when it changes them, then it changes", async () => {
    const ask = (targetingKey: string) =>
      request(app()).post('/ofrep/v1/evaluate/flags').set(bearer).send({ context: { targetingKey } });
    const before = { bob: (await ask('bob')).headers.etag, alice: (await ask('alice')).headers.etag };
    const checkout = FLAGS[0]!;
    flagMap.apply({
      revision: 10,
      flagName: 'new-checkout',
      kind: 'upsert',
      at: '2026-01-01T00:00:00Z',
      flag: stored(
        {
          ...checkout,
          environments: {
            production: {
              enabled: true,
              rules: [{ strategy: 'user_list', userIds: ['bob'] }],
              fallthrough: { serve: false },
            },
          },
        },
        10,
      ),
    });
    expect((await ask('carol')).headers.etag).toBe(before.bob);
    expect((await ask('alice')).headers.etag).toBe(before.bob);
    expect((await ask('bob')).headers.etag).toBe(before.alice);
  });

  it('when the context is missing, then 400 INVALID_CONTEXT without a key', async () => {
    const res = await request(app()).post('/ofrep/v1/evaluate/flags').set(bearer).send({});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errorCode: 'INVALID_CONTEXT', errorDetails: expect.any(String) });
  });

  it('when a key exceeds the rate limit, then 429 with Retry-After', async () => {
    const limited = app({ rateLimitPerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await request(limited).post('/ofrep/v1/evaluate/flags').set(bearer).send({ context: {} })).status);
    const last = await request(limited).post('/ofrep/v1/evaluate/flags').set(bearer).send({ context: {} });
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });
});

describe('rate limit per key and client address', () => {
  async function statuses(trustProxy: boolean): Promise<number[]> {
    const limited = app({ rateLimitPerMinute: 1 }, trustProxy);
    const answers = [];
    for (const address of ['203.0.113.1', '203.0.113.2']) {
      answers.push(
        (
          await request(limited)
            .post('/ofrep/v1/evaluate/flags')
            .set(bearer)
            .set('X-Forwarded-For', address)
            .send({ context: {} })
        ).status,
      );
    }
    return answers;
  }

  it('when trust proxy is set (SWITCHYARD_TRUST_PROXY), then each forwarded client address has its own budget', async () => {
    expect(await statuses(true)).toEqual([200, 200]);
  });

  it("when trust proxy is off, then X-Forwarded-For is ignored and the proxy's address shares one budget", async () => {
    expect(await statuses(false)).toEqual([200, 429]);
  });
});

describe('CORS', () => {
  it('when an allowed origin preflights, then it may send the key headers and read ETag and Retry-After', async () => {
    const res = await request(app({ corsAllowedOrigins: ['https://app.example'] }))
      .options('/ofrep/v1/evaluate/flags')
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, if-none-match');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization, X-API-Key, Content-Type, If-None-Match');
    expect(res.headers['access-control-expose-headers']).toBe('ETag, Retry-After');
  });

  it('when another origin asks, then no CORS headers are sent', async () => {
    const res = await request(app({ corsAllowedOrigins: ['https://app.example'] }))
      .post('/ofrep/v1/evaluate/flags')
      .set('Origin', 'https://evil.example')
      .set(bearer)
      .send({ context: {} });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('GET /ofrep/v1/event-stream', () => {
  it('when a flag of the environment changes, then the stream sends refetchEvaluation and nothing of the flag', async () => {
    const server = app().listen(0);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const controller = new AbortController();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ofrep/v1/event-stream?key=client-secret`, {
        signal: controller.signal,
      });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) text += decoder.decode((await reader.read()).value);
      };
      await readUntil('refetchEvaluation'); // the catch-up on connect
      text = '';
      const change = flagMap.apply({
        revision: 11,
        flagName: 'theme',
        kind: 'upsert',
        at: '2026-01-01T00:00:00Z',
        flag: stored(FLAGS[1]!, 11),
      });
      hub.publish([change!]);
      await readUntil('\n\n');
      expect(text).toBe('id: 11\nevent: message\ndata: {"type":"refetchEvaluation","etag":"11"}\n\n');
    } finally {
      controller.abort();
      server.closeAllConnections();
      server.close();
    }
  });

  it('when the key is missing, then 401', async () => {
    expect((await request(app()).get('/ofrep/v1/event-stream')).status).toBe(401);
  });
});

describe('before the relay has loaded its flags', () => {
  it('when evaluating, then 500 with errorDetails and Retry-After rather than an empty answer', async () => {
    flagMap = new FlagMap();
    hub = new StreamHub(flagMap, new FlagVisibility(true), DEFAULT_STREAM_LIMITS);
    const res = await request(app()).post('/ofrep/v1/evaluate/flags').set(bearer).send({ context: {} });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ errorDetails: expect.any(String) });
    expect(res.headers['retry-after']).toBe('5');
  });
});

describe('evaluation errors', () => {
  it('when a flag cannot decide without a targeting key, then the failure says so without quoting the configuration', async () => {
    flagMap.apply({
      revision: 20,
      flagName: 'rollout',
      kind: 'upsert',
      at: '2026-01-01T00:00:00Z',
      flag: stored(sampleFlag('rollout'), 20),
    });
    const res = await request(app()).post('/ofrep/v1/evaluate/flags/rollout').set(bearer).send({ context: {} });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ key: 'rollout', errorCode: 'TARGETING_KEY_MISSING' });
    const bulk = await request(app()).post('/ofrep/v1/evaluate/flags').set(bearer).send({ context: {} });
    expect(bulk.body.flags.find((item: { key: string }) => item.key === 'rollout')).toMatchObject({
      errorCode: 'TARGETING_KEY_MISSING',
    });
  });
});
