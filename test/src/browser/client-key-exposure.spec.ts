import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayAdmin } from '../server-provider/relay-admin.js';
import { eventually } from '../server-provider/wait-for.js';
import { OpenApiSchemas } from '../support/openapi-schema.js';
import { startRelay, type StartedRelay } from '../support/start-relay.js';
import { addCheckoutUser, createBrowserFlags, SECRETS } from './browser-flags.js';

/** Names of configuration fields: none may appear in what a client key receives. */
const CONFIGURATION_FIELDS = [
  'rules',
  'userIds',
  'targetingRules',
  'fallthrough',
  'environments',
  'variants',
  'weight',
  'offVariant',
  'owner',
  'description',
  'bucketBy',
];
const OFREP_ITEM_FIELDS = new Set(['key', 'value', 'variant', 'reason', 'metadata', 'errorCode', 'errorDetails']);

let relay: StartedRelay;
let admin: RelayAdmin;
let clientKey: string;
const schemas = new OpenApiSchemas();
/** Every body, websocket message and event-stream chunk sent to the client key. */
const received: Array<{ what: string; text: string }> = [];

beforeAll(async () => {
  relay = await startRelay();
  admin = new RelayAdmin(relay.url, relay.adminKey);
  await createBrowserFlags(admin);
  clientKey = (await admin.createKey('client', 'production')).key;
}, 120_000);

afterAll(async () => {
  await relay?.close();
});

async function asClient(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${relay.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${clientKey}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  received.push({ what: `${method} ${path} → ${response.status}`, text });
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

describe('OFREP answers', () => {
  it('when evaluating one flag, then 200/404/400 answers match the OFREP document', async () => {
    const match = await asClient('POST', '/ofrep/v1/evaluate/flags/theme', {
      context: { targetingKey: 'u1', plan: 'pro' },
    });
    expect(match.status).toBe(200);
    expect(match.json).toMatchObject({ key: 'theme', value: 'dark', variant: 'dark', reason: 'TARGETING_MATCH' });
    expect(schemas.validate('serverEvaluationSuccess', match.json)).toEqual([]);

    const disabled = await asClient('POST', '/ofrep/v1/evaluate/flags/maintenance-message', {
      context: { targetingKey: 'u1' },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.json).toEqual({
      key: 'maintenance-message',
      variant: 'off',
      reason: 'DISABLED',
      metadata: { enabled: false, reservedVariant: true },
    });
    expect(schemas.validate('serverEvaluationSuccess', disabled.json)).toEqual([]);

    const missing = await asClient(
      'POST',
      `/ofrep/v1/evaluate/flags/${SECRETS.otherEnvironmentFlag.replace('secret', 'absent')}`,
      { context: {} },
    );
    expect(missing.status).toBe(404);
    expect(schemas.validate('flagNotFound', missing.json)).toEqual([]);

    const invalid = await asClient('POST', '/ofrep/v1/evaluate/flags/theme', { context: 'not an object' });
    expect(invalid.status).toBe(400);
    expect(schemas.validate('evaluationFailure', invalid.json)).toEqual([]);
  });

  it('when evaluating in bulk, then the answer, its ETag and the 304 follow the OFREP document', async () => {
    const first = await asClient('POST', '/ofrep/v1/evaluate/flags', { context: { targetingKey: 'u2' } });
    expect(first.status).toBe(200);
    expect(schemas.validate('bulkEvaluationSuccess', first.json)).toEqual([]);
    for (const stream of (first.json?.eventStreams as unknown[]) ?? [])
      expect(schemas.validate('eventStream', stream)).toEqual([]);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await asClient(
      'POST',
      '/ofrep/v1/evaluate/flags',
      { context: { targetingKey: 'u2' } },
      { 'If-None-Match': etag! },
    );
    expect(again.status).toBe(304);
    const failure = await asClient('POST', '/ofrep/v1/evaluate/flags', '{"context":', {});
    expect(failure.status).toBe(400);
    expect(schemas.validate('bulkEvaluationFailure', failure.json)).toEqual([]);
  });

  it('when the key comes as X-API-Key instead of Bearer, then it is accepted', async () => {
    const response = await fetch(`${relay.url}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      headers: { 'X-API-Key': clientKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ context: {} }),
    });
    expect(response.status).toBe(200);
  });
});

describe('what a client key receives', () => {
  it.each([
    ['of another environment', SECRETS.otherEnvironmentFlag],
    ['hidden from clients (clientVisible: false)', SECRETS.serverOnlyFlag],
  ])('when asking for a flag %s by name, then the answer is that of a flag that does not exist', async (_, name) => {
    const other = await fetch(`${relay.url}/ofrep/v1/evaluate/flags/${name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${clientKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ context: {} }),
    });
    const absent = await asClient('POST', '/ofrep/v1/evaluate/flags/no-such-flag', { context: {} });
    expect(other.status).toBe(404);
    expect((await other.text()).replaceAll(name, 'no-such-flag')).toBe(absent.text);
  });

  it('when pages evaluate, stream and flags change, then every answer and message holds values only', async () => {
    const socket = new WebSocket(`${relay.url.replace('http', 'ws')}/api/v1/stream?key=${clientKey}`);
    socket.on('message', (data) => received.push({ what: 'websocket message', text: String(data) }));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const sse = new AbortController();
    const events = await fetch(`${relay.url}/ofrep/v1/event-stream?key=${clientKey}`, { signal: sse.signal });
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of events.body as unknown as AsyncIterable<Uint8Array>) {
        received.push({ what: 'event-stream chunk', text: decoder.decode(chunk) });
      }
    })().catch(() => undefined);

    for (const context of [{}, { targetingKey: 'alice' }, { targetingKey: 'bob', plan: 'pro' }]) {
      await asClient('POST', '/ofrep/v1/evaluate/flags', { context });
      for (const flag of ['new-checkout', 'theme', 'banner-text', 'maintenance-message', 'no-such-flag']) {
        await asClient('POST', `/ofrep/v1/evaluate/flags/${flag}`, { context });
      }
    }
    await asClient('POST', '/api/v1/feature-flags/evaluate', { userContext: { userId: 'alice' } });
    await asClient('GET', '/api/v1/feature-flags');
    await asClient('GET', '/api/v1/feature-flags/theme');
    await admin.updateFlag(SECRETS.serverOnlyFlag, (flag) => ({ ...flag, tags: ['changed-while-pages-listen'] }));
    await addCheckoutUser(admin, 'carol');
    await admin.createFlag({
      name: 'later-flag',
      type: 'boolean',
      variants: [],
      tags: [],
      description: SECRETS.description,
      environments: {
        staging: {
          enabled: true,
          rules: [{ strategy: 'user_list', userIds: [SECRETS.listedUser] }],
          fallthrough: { serve: false },
        },
      },
    });
    await eventually(
      'a flags-changed message naming new-checkout',
      async () =>
        received.some((r) => r.what === 'websocket message' && r.text.includes('new-checkout')) ? true : undefined,
      15_000,
    );
    await eventually(
      'a refetchEvaluation event after the change',
      async () =>
        received.filter((r) => r.what === 'event-stream chunk' && r.text.includes('refetchEvaluation')).length >= 2
          ? true
          : undefined,
      15_000,
    );
    socket.close();
    sse.abort();
    await reading;

    expect(received.length).toBeGreaterThan(30);
    for (const { what, text } of received) {
      for (const secret of Object.values(SECRETS)) expect(text, `${what} leaked "${secret}"`).not.toContain(secret);
      for (const field of CONFIGURATION_FIELDS) expect(text, `${what} carries "${field}"`).not.toContain(`"${field}"`);
    }
    for (const { what, text } of received.filter(
      (r) => r.what.startsWith('POST /ofrep/v1/evaluate/flags →') && r.text,
    )) {
      for (const item of (JSON.parse(text) as { flags?: Array<Record<string, unknown>> }).flags ?? []) {
        expect(
          Object.keys(item).filter((field) => !OFREP_ITEM_FIELDS.has(field)),
          what,
        ).toEqual([]);
      }
    }
  });
});
