import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyRole } from '../store/store.js';
import { startTestRelay, type TestRelay } from './testing/test-relay.js';

type Caller = ApiKeyRole | 'none' | 'revoked';

interface RouteCase {
  method: string;
  /** OpenAPI path, as /openapi.json lists it. */
  route: string;
  /** The request made; `{name}` is replaced by a flag that exists. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Who may call it: written out here, independently of the route table, so a wrong table fails. */
  allowed: readonly Caller[] | 'everyone';
  /** A server-sent-event stream: an allowed call is read up to its status, then closed. */
  streams?: true;
}

const READERS: Caller[] = ['admin', 'editor', 'viewer', 'server'];
const WRITERS: Caller[] = ['admin', 'editor'];
const FORCE = '?force=true';

const CASES: RouteCase[] = [
  { method: 'GET', route: '/healthz', path: '/healthz', allowed: 'everyone' },
  { method: 'GET', route: '/readyz', path: '/readyz', allowed: 'everyone' },
  { method: 'GET', route: '/metrics', path: '/metrics', allowed: 'everyone' },
  { method: 'GET', route: '/openapi.json', path: '/openapi.json', allowed: 'everyone' },
  { method: 'GET', route: '/api/v1/feature-flags', path: '/api/v1/feature-flags', allowed: READERS },
  {
    method: 'POST',
    route: '/api/v1/feature-flags',
    path: '/api/v1/feature-flags',
    body: { name: 'matrix-new' },
    allowed: WRITERS,
  },
  { method: 'GET', route: '/api/v1/feature-flags/{name}', path: '/api/v1/feature-flags/{name}', allowed: READERS },
  {
    method: 'PUT',
    route: '/api/v1/feature-flags/{name}',
    path: `/api/v1/feature-flags/{name}${FORCE}`,
    body: { name: '{name}', environments: ['production'] },
    allowed: WRITERS,
  },
  {
    method: 'PATCH',
    route: '/api/v1/feature-flags/{name}',
    path: `/api/v1/feature-flags/{name}${FORCE}`,
    body: { enabled: true },
    allowed: WRITERS,
  },
  {
    method: 'DELETE',
    route: '/api/v1/feature-flags/{name}',
    path: `/api/v1/feature-flags/{name}${FORCE}`,
    allowed: WRITERS,
  },
  {
    method: 'GET',
    route: '/api/v1/feature-flags/{name}/history',
    path: '/api/v1/feature-flags/{name}/history',
    allowed: READERS,
  },
  {
    method: 'POST',
    route: '/api/v1/feature-flags/{name}/rollback',
    path: `/api/v1/feature-flags/{name}/rollback${FORCE}`,
    body: { version: 1 },
    allowed: WRITERS,
  },
  {
    method: 'POST',
    route: '/api/v1/feature-flags/evaluate',
    path: '/api/v1/feature-flags/evaluate',
    body: { userContext: { userId: 'u' } },
    allowed: ['admin', 'editor', 'viewer', 'server', 'client'],
  },
  {
    method: 'POST',
    route: '/api/v1/api-keys',
    path: '/api/v1/api-keys',
    body: { name: 'matrix', role: 'viewer' },
    allowed: ['admin'],
  },
  { method: 'GET', route: '/api/v1/api-keys', path: '/api/v1/api-keys', allowed: ['admin'] },
  { method: 'DELETE', route: '/api/v1/api-keys/{id}', path: '/api/v1/api-keys/0000000000000000', allowed: ['admin'] },
  {
    method: 'GET',
    route: '/api/v1/whoami',
    path: '/api/v1/whoami',
    allowed: ['admin', 'editor', 'viewer', 'server', 'client'],
  },
  { method: 'GET', route: '/api/v1/audit', path: '/api/v1/audit', allowed: ['admin', 'editor', 'viewer'] },
  {
    method: 'GET',
    route: '/api/v1/flag-events',
    path: '/api/v1/flag-events',
    allowed: ['admin', 'editor', 'viewer'],
    streams: true,
  },
  { method: 'GET', route: '/api/v1/scheduler', path: '/api/v1/scheduler', allowed: ['admin', 'editor', 'viewer'] },
  {
    method: 'POST',
    route: '/api/v1/usage',
    path: '/api/v1/usage',
    body: { environment: 'production', evaluations: [] },
    allowed: ['admin', 'server', 'client'],
  },
  {
    method: 'GET',
    route: '/api/v1/feature-flags/{name}/analytics',
    path: '/api/v1/feature-flags/{name}/analytics',
    allowed: ['admin', 'editor', 'viewer'],
  },
  {
    method: 'GET',
    route: '/api/v1/feature-flags/{name}/experiment',
    path: '/api/v1/feature-flags/{name}/experiment',
    allowed: ['admin', 'editor', 'viewer'],
  },
  {
    method: 'GET',
    route: '/api/v1/reports/stale-flags',
    path: '/api/v1/reports/stale-flags',
    allowed: ['admin', 'editor', 'viewer'],
  },
  {
    method: 'POST',
    route: '/ofrep/v1/evaluate/flags/{key}',
    path: '/ofrep/v1/evaluate/flags/{name}',
    body: { context: {} },
    allowed: ['server', 'client'],
  },
  {
    method: 'POST',
    route: '/ofrep/v1/evaluate/flags',
    path: '/ofrep/v1/evaluate/flags',
    body: { context: {} },
    allowed: ['server', 'client'],
  },
  {
    method: 'GET',
    route: '/ofrep/v1/event-stream',
    path: '/ofrep/v1/event-stream',
    allowed: ['server', 'client'],
    streams: true,
  },
];

/** Opens a GET stream: its status, and the problem body of a refusal (an accepted stream is closed at once). */
async function openStream(
  url: string,
  path: string,
  key: string | null,
): Promise<{ status: number; text: string; body: any }> {
  const controller = new AbortController();
  const response = await fetch(`${url}${path}`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    signal: controller.signal,
  });
  if (response.ok) {
    controller.abort();
    return { status: response.status, text: '', body: undefined };
  }
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

const CALLERS: Caller[] = ['admin', 'editor', 'viewer', 'server', 'client', 'none', 'revoked'];

describe('authorization matrix: every caller against every route', () => {
  let t: TestRelay;
  const keys = new Map<Caller, string | null>();
  let flagCounter = 0;

  beforeAll(async () => {
    t = await startTestRelay();
    keys.set('admin', t.adminKey);
    keys.set('none', null);
    for (const role of ['editor', 'viewer'] as const) keys.set(role, await t.keyFor(role));
    for (const role of ['server', 'client'] as const) keys.set(role, await t.keyFor(role, 'production'));
    const revoked = await t.call<{ id: string; key: string }>('POST', '/api/v1/api-keys', {
      body: { name: 'to-revoke', role: 'admin' },
    });
    await t.call('DELETE', `/api/v1/api-keys/${revoked.body.id}`);
    keys.set('revoked', revoked.body.key);
  });
  afterAll(async () => {
    await t.stop();
  });

  // A slice that adds routes adds their rows above: this test names any route without one.
  it('covers every route the relay documents', async () => {
    const document = await t.call('GET', '/openapi.json', { key: null });
    const documented = Object.entries(document.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(CASES.map((c) => `${c.method} ${c.route}`).sort()).toEqual(documented);
  });

  const rows = CASES.flatMap((routeCase) => CALLERS.map((caller) => ({ ...routeCase, caller })));
  it.each(rows)('$caller → $method $route', async (row) => {
    const name = `matrix-${++flagCounter}`;
    await t.call('POST', '/api/v1/feature-flags', { body: { name, environments: ['production'], enabled: true } });
    const path = row.path.replace('{name}', name);
    const body = row.body === undefined ? undefined : JSON.parse(JSON.stringify(row.body).replace('{name}', name));
    const key = keys.get(row.caller) ?? null;
    const answer = row.streams ? await openStream(t.url, path, key) : await t.call(row.method, path, { key, body });
    const allowed = row.allowed === 'everyone' || row.allowed.includes(row.caller);
    if (allowed) {
      expect([401, 403], `${answer.status} ${answer.text}`).not.toContain(answer.status);
      expect(answer.status).toBeLessThan(500);
    } else if (row.caller === 'none' || row.caller === 'revoked') {
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('UNAUTHORIZED');
    } else {
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('FORBIDDEN');
    }
  });

  it('when a key is sent as X-API-Key, then it authenticates like a Bearer key', async () => {
    const answer = await t.call('GET', '/api/v1/feature-flags', { key: null, headers: { 'x-api-key': t.adminKey } });
    expect(answer.status).toBe(200);
    const besideBasic = await t.call('GET', '/api/v1/feature-flags', {
      key: null,
      headers: { 'x-api-key': t.adminKey, authorization: 'Basic dXNlcjpwdw==' },
    });
    expect(besideBasic.status).toBe(200);
  });
});
