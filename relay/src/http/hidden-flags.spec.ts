import type { FlagsChangedMessage, SnapshotMessage, StreamMessage } from '@switchyard/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StreamTestClient } from '../features/stream/stream-test-client.js';
import { startTestRelay, type Answer, type TestRelay } from './testing/test-relay.js';

const FLAGS = '/api/v1/feature-flags';
const EVALUATE = `${FLAGS}/evaluate`;
const OFREP_FLAGS = '/ofrep/v1/evaluate/flags';
/** The stand-in for the hidden flag's name in an answer about a flag that does not exist. */
const MISSING = 'never-created';

const everywhere = (extra: Record<string, unknown> = {}) => ({
  environments: { '*': { enabled: true, rules: [], fallthrough: { serve: true } } },
  ...extra,
});

const isFlagsChanged = (message: StreamMessage): message is FlagsChangedMessage => message.type === 'flags-changed';
const isSnapshot = (message: StreamMessage): message is SnapshotMessage => message.type === 'snapshot';

/** An answer as a client could compare it: status, the headers that vary by flag, and the body with the flag's name replaced. */
function comparable(answer: Answer, name: string) {
  const body = answer.text.replaceAll(name, MISSING).replace(/"requestId":"[^"]*"/, '"requestId":"-"');
  return { status: answer.status, etag: answer.headers.get('etag'), type: answer.headers.get('content-type'), body };
}

describe('a flag hidden from clients (clientVisible: false)', () => {
  let t: TestRelay;
  let client: string;
  let server: string;
  let viewer: string;
  const streams: StreamTestClient[] = [];

  beforeAll(async () => {
    t = await startTestRelay();
    await t.call('POST', FLAGS, { body: { name: 'open-flag', ...everywhere() } });
    await t.call('POST', FLAGS, { body: { name: 'secret-flag', ...everywhere({ clientVisible: false }) } });
    client = await t.keyFor('client', 'production');
    server = await t.keyFor('server', 'production');
    viewer = await t.keyFor('viewer');
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when the REST API is read, then the flag says clientVisible: false and server keys still read it', async () => {
    expect((await t.call('GET', `${FLAGS}/secret-flag`)).body.clientVisible).toBe(false);
    expect((await t.call('GET', `${FLAGS}/open-flag`)).body).not.toHaveProperty('clientVisible');
    expect((await t.call('GET', `${FLAGS}/secret-flag`, { key: server })).status).toBe(200);
  });

  it('when a client key evaluates it over REST, then the answer is that of a flag that does not exist; other keys get its value', async () => {
    const hidden = await t.call('POST', EVALUATE, { key: client, body: { flagName: 'secret-flag' } });
    const missing = await t.call('POST', EVALUATE, { key: client, body: { flagName: MISSING } });
    expect(hidden.status).toBe(404);
    expect(comparable(hidden, 'secret-flag')).toEqual(comparable(missing, MISSING));

    const named = await t.call('POST', EVALUATE, { key: client, body: { flagNames: ['secret-flag', 'open-flag'] } });
    const namedMissing = await t.call('POST', EVALUATE, { key: client, body: { flagNames: [MISSING, 'open-flag'] } });
    expect(comparable(named, 'secret-flag')).toEqual(comparable(namedMissing, MISSING));
    const all = await t.call('POST', EVALUATE, { key: client, body: {} });
    expect(Object.keys(all.body.results)).toEqual(['open-flag']);

    for (const key of [server, viewer, t.adminKey]) {
      const seen = await t.call('POST', EVALUATE, {
        key,
        body: { flagName: 'secret-flag', environment: 'production' },
      });
      expect(seen.body).toMatchObject({ flagName: 'secret-flag', value: true });
    }
    expect(Object.keys((await t.call('POST', EVALUATE, { key: server, body: {} })).body.results)).toEqual([
      'open-flag',
      'secret-flag',
    ]);
  });

  it('when a client key evaluates it over OFREP, then single and bulk answers are those of a flag that does not exist', async () => {
    const hidden = await t.call('POST', `${OFREP_FLAGS}/secret-flag`, {
      key: client,
      body: { context: { targetingKey: 'u1' } },
    });
    const missing = await t.call('POST', `${OFREP_FLAGS}/${MISSING}`, {
      key: client,
      body: { context: { targetingKey: 'u1' } },
    });
    expect(hidden.status).toBe(404);
    expect(comparable(hidden, 'secret-flag')).toEqual(comparable(missing, MISSING));

    const bulk = await t.call('POST', OFREP_FLAGS, { key: client, body: { context: { targetingKey: 'u1' } } });
    expect(bulk.body.flags.map((flag: { key: string }) => flag.key)).toEqual(['open-flag']);
    expect(bulk.text).not.toContain('secret-flag');

    expect(
      (await t.call('POST', `${OFREP_FLAGS}/secret-flag`, { key: server, body: { context: {} } })).body,
    ).toMatchObject({ key: 'secret-flag', value: true });
    const serverBulk = await t.call('POST', OFREP_FLAGS, { key: server, body: { context: { targetingKey: 'u1' } } });
    expect(serverBulk.body.flags.map((flag: { key: string }) => flag.key)).toEqual(['open-flag', 'secret-flag']);
  });

  it("when the hidden flag changes, then a client's bulk ETag stays (304) while a server key's changes", async () => {
    const ask = (key: string, etag?: string) =>
      t.call('POST', OFREP_FLAGS, {
        key,
        body: { context: { targetingKey: 'u1' } },
        headers: etag ? { 'if-none-match': etag } : {},
      });
    const clientEtag = (await ask(client)).headers.get('etag')!;
    const serverEtag = (await ask(server)).headers.get('etag')!;
    expect((await t.call('PATCH', `${FLAGS}/secret-flag`, { body: { environment: '*', enabled: false } })).status).toBe(
      200,
    );
    expect((await ask(client, clientEtag)).status).toBe(304);
    expect((await ask(server, serverEtag)).status).toBe(200);
    await t.call('PATCH', `${FLAGS}/secret-flag`, { body: { environment: '*', enabled: true } });
  });

  it("when flags change, then a client key's websocket stream never names the hidden one; a server key's stream carries it", async () => {
    const browser = new StreamTestClient(t.url, { key: client, viaQuery: true });
    const backend = new StreamTestClient(t.url, { key: server });
    streams.push(browser, backend);
    const first = await browser.waitFor(isFlagsChanged);
    expect(first).toMatchObject({ all: true, flagNames: ['open-flag'] });
    expect((await backend.waitFor(isSnapshot)).flags.map((flag) => flag.name).sort()).toEqual([
      'open-flag',
      'secret-flag',
    ]);

    await t.call('PATCH', `${FLAGS}/secret-flag`, { body: { description: 'changed while hidden' } });
    await t.call('PATCH', `${FLAGS}/open-flag`, { body: { description: 'changed after it' } });
    await browser.waitFor(
      (message) => isFlagsChanged(message) && message.flagNames.includes('open-flag') && message !== first,
    );
    await backend.waitFor(
      (message) => message.type === 'changes' && JSON.stringify(message).includes('changed after it'),
    );
    expect(JSON.stringify(browser.messages)).not.toContain('secret-flag');
    expect(JSON.stringify(backend.messages)).toContain('changed while hidden');
  });

  it('when a client key resumes its stream with since, then the catch-up does not name the hidden flag either', async () => {
    const before = new StreamTestClient(t.url, { key: client });
    streams.push(before);
    await before.waitFor(isFlagsChanged);
    const since = before.revision!;
    await t.call('PATCH', `${FLAGS}/secret-flag`, { body: { description: 'missed while away' } });
    await t.call('PATCH', `${FLAGS}/open-flag`, { body: { description: 'also missed' } });
    const resumed = new StreamTestClient(t.url, { key: client, since });
    streams.push(resumed);
    expect(await resumed.waitFor(isFlagsChanged)).toMatchObject({ flagNames: ['open-flag'] });
  });

  it('when a client key holds the OFREP event stream, then a change to the hidden flag alone sends no refetch', async () => {
    const events = new AbortController();
    const response = await fetch(`${t.url}/ofrep/v1/event-stream?key=${client}`, { signal: events.signal });
    const chunks: string[] = [];
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error(`the event stream ended: ${chunks.join('')}`);
        chunks.push(decoder.decode(value));
      }
    };
    const refetches = () => (chunks.join('').match(/refetchEvaluation/g) ?? []).length;
    await readUntil(() => refetches() === 1);
    await t.call('PATCH', `${FLAGS}/secret-flag`, { body: { description: 'unseen by browsers' } });
    const visible = await t.call('PATCH', `${FLAGS}/open-flag`, { body: { description: 'seen by browsers' } });
    await readUntil(() => refetches() === 2);
    events.abort();
    // Had the hidden change been sent, the second refetch would carry its revision, one below the visible change's.
    const ids = [...chunks.join('').matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids[1]).toBe(visible.body.revision);
  });

  it("when a client key reports usage of the hidden flag, then it is an unknown flag; a server key's report counts", async () => {
    const periodStart = new Date().toISOString();
    const batch = { evaluations: [{ flagName: 'secret-flag', enabled: true, count: 3, periodStart }] };
    const fromClient = await t.call('POST', '/api/v1/usage', { key: client, body: batch });
    expect(fromClient.body).toMatchObject({ accepted: { evaluations: 0 }, unknownFlags: ['secret-flag'] });
    const fromServer = await t.call('POST', '/api/v1/usage', { key: server, body: batch });
    expect(fromServer.body).toMatchObject({ accepted: { evaluations: 3 }, unknownFlags: [] });
  });

  it('when a flag is hidden or shown again, then client streams are told to re-fetch it, and its answers follow', async () => {
    await t.call('POST', FLAGS, { body: { name: 'flipping', ...everywhere() } });
    const browser = new StreamTestClient(t.url, { key: client });
    streams.push(browser);
    await browser.waitFor(isFlagsChanged);
    const hiding = await t.call('PATCH', `${FLAGS}/flipping`, { body: { clientVisible: false } });
    await browser.waitFor(
      (message) =>
        isFlagsChanged(message) && message.revision === hiding.body.revision && message.flagNames.includes('flipping'),
    );
    expect((await t.call('POST', `${OFREP_FLAGS}/flipping`, { key: client, body: { context: {} } })).status).toBe(404);
    const showing = await t.call('PATCH', `${FLAGS}/flipping`, { body: { clientVisible: true } });
    await browser.waitFor(
      (message) =>
        isFlagsChanged(message) && message.revision === showing.body.revision && message.flagNames.includes('flipping'),
    );
    expect((await t.call('POST', `${OFREP_FLAGS}/flipping`, { key: client, body: { context: {} } })).status).toBe(200);
  });

  it('when clientVisible is not a boolean, then the write gets 400 naming the field', async () => {
    const answer = await t.call('POST', FLAGS, {
      body: { name: 'bad-visibility', clientVisible: 'no', ...everywhere() },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: 'clientVisible', expected: 'true or false' })]);
  });
});

describe('a relay whose flags are server-only by default (SWITCHYARD_FLAG_CLIENT_VISIBLE_DEFAULT=false)', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay({ clientVisibleByDefault: false });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a flag does not say, then client keys do not see it; clientVisible: true shows it to them', async () => {
    await t.call('POST', FLAGS, { body: { name: 'unsaid', ...everywhere() } });
    await t.call('POST', FLAGS, { body: { name: 'for-browsers', ...everywhere({ clientVisible: true }) } });
    const client = await t.keyFor('client', 'production');
    const bulk = await t.call('POST', OFREP_FLAGS, { key: client, body: { context: {} } });
    expect(bulk.body.flags.map((flag: { key: string }) => flag.key)).toEqual(['for-browsers']);
    expect((await t.call('POST', EVALUATE, { key: client, body: { flagName: 'unsaid' } })).status).toBe(404);
    const server = await t.keyFor('server', 'production');
    expect((await t.call('POST', EVALUATE, { key: server, body: { flagName: 'unsaid' } })).status).toBe(200);
  });
});
