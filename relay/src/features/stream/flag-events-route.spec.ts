import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../config/relay-config.js';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';

/** One open `GET /api/v1/flag-events`, read event by event. */
interface EventStream {
  status: number;
  contentType: string | null;
  /** The next event's parsed fields (id, event, data as JSON); heartbeat comments are skipped. */
  next(): Promise<{ id: string; event: string; data: { revision: number; flagNames: string[]; all?: boolean } }>;
  /** Resolves when the relay ends the stream. */
  ended(): Promise<void>;
  close(): void;
}

async function openEvents(t: TestRelay, key: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(`${t.url}/api/v1/flag-events`, {
    headers: { authorization: `Bearer ${key}`, ...headers },
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let done = false;
  const more = async () => {
    const chunk = await reader.read();
    if (chunk.done) done = true;
    else buffer += decoder.decode(chunk.value, { stream: true });
  };
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    async next() {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
          );
          if (fields.event !== undefined) return { id: fields.id, event: fields.event, data: JSON.parse(fields.data) };
          continue;
        }
        if (done) throw new Error('the stream ended');
        await more();
      }
    },
    async ended() {
      while (!done) await more();
    },
    close: () => controller.abort(),
  };
}

describe('GET /api/v1/flag-events', () => {
  let t: TestRelay;
  beforeAll(async () => {
    const base = configWith({});
    t = await startTestRelay({
      realtime: { ...base.realtime, stream: { ...base.realtime.stream, heartbeatIntervalMs: 200 } },
    });
    await t.call('POST', '/api/v1/feature-flags', {
      body: { name: 'existing', environments: ['production'], enabled: true },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a viewer connects with the key in the header, then every flag is named, and a REST change in any environment is told with its name and revision', async () => {
    const events = await openEvents(t, await t.keyFor('viewer'));
    try {
      expect(events.status).toBe(200);
      expect(events.contentType).toMatch(/^text\/event-stream/);
      const first = await events.next();
      expect(first.event).toBe('flags-changed');
      expect(first.data).toMatchObject({ all: true });
      expect(first.data.flagNames).toContain('existing');
      const patched = await t.call('PATCH', '/api/v1/feature-flags/existing?force=true', {
        body: { environment: 'staging', enabled: false },
      });
      const change = await events.next();
      expect(change).toEqual({
        id: String(patched.body.revision),
        event: 'flags-changed',
        data: { revision: patched.body.revision, flagNames: ['existing'] },
      });
    } finally {
      events.close();
    }
  });

  it('when a client reconnects with Last-Event-ID, then the first event names only the flags changed since', async () => {
    const created = await t.call('POST', '/api/v1/feature-flags', {
      body: { name: 'before-reconnect', environments: ['staging'] },
    });
    await t.call('POST', '/api/v1/feature-flags', { body: { name: 'after-reconnect', environments: ['staging'] } });
    const events = await openEvents(t, t.adminKey, { 'last-event-id': String(created.body.revision) });
    try {
      expect((await events.next()).data.flagNames).toEqual(['after-reconnect']);
    } finally {
      events.close();
    }
  });

  it('when a server key asks, then 403 and no stream', async () => {
    const answer = await t.call('GET', '/api/v1/flag-events', { key: await t.keyFor('server', 'production') });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('FORBIDDEN');
  });

  it('when the key is revoked, then the relay ends the stream at a heartbeat', async () => {
    const created = await t.call<{ id: string; key: string }>('POST', '/api/v1/api-keys', {
      body: { name: 'to-revoke', role: 'editor' },
    });
    const events = await openEvents(t, created.body.key);
    await events.next();
    await t.call('DELETE', `/api/v1/api-keys/${created.body.id}`);
    await events.ended();
  });
});
