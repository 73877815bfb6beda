import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';
import { parseKey } from '../api-keys/api-key-format.js';

const FLAGS = '/api/v1/feature-flags';

describe('GET /api/v1/audit', () => {
  let t: TestRelay;
  let editorKey: string;
  beforeAll(async () => {
    t = await startTestRelay();
    editorKey = await t.keyFor('editor');
  });
  afterAll(async () => {
    await t.stop();
  });

  it("when an editor changes a flag, then each change is audited with the key's name, time, action and before/after", async () => {
    const started = new Date().toISOString();
    await t.call('POST', FLAGS, {
      key: editorKey,
      body: { name: 'audited', environments: ['production'], enabled: false },
    });
    await t.call('PATCH', `${FLAGS}/audited`, { key: editorKey, body: { enabled: true, version: 1 } });
    await t.call('POST', `${FLAGS}/audited/rollback`, { key: editorKey, body: { version: 1, expectedVersion: 2 } });
    await t.call('DELETE', `${FLAGS}/audited`, { key: editorKey, headers: { 'if-match': '"3"' } });
    const answer = await t.call('GET', `/api/v1/audit?flag=audited&since=${encodeURIComponent(started)}`, {
      key: editorKey,
    });
    expect(answer.status).toBe(200);
    const entries = answer.body.entries;
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual([
      'flag.delete',
      'flag.rollback',
      'flag.patch',
      'flag.create',
    ]);
    expect(entries.every((entry: { actor: string }) => entry.actor === 'editor-all')).toBe(true);
    const editorKeyId = parseKey(editorKey)!.id;
    expect(
      entries.every(
        (entry: { actorKeyId?: string; actorRole?: string }) =>
          entry.actorKeyId === editorKeyId && entry.actorRole === 'editor',
      ),
    ).toBe(true);
    const patch = entries[2];
    expect(patch.environment).toBe('production');
    expect(patch.before.environments.production.enabled).toBe(false);
    expect(patch.after.environments.production.enabled).toBe(true);
    expect(Date.parse(patch.at)).toBeGreaterThanOrEqual(Date.parse(started));
    expect(entries[0].before.name).toBe('audited');
    expect(entries[0].after).toBeUndefined();
  });

  it('when since is past year 9999 once converted to UTC, then it is refused at query.since', async () => {
    for (const since of ['9999-12-31T23:59:59-23:59', '0000-01-01T00:00:00+01:00']) {
      const answer = await t.call('GET', `/api/v1/audit?since=${encodeURIComponent(since)}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual(['query.since']);
    }
    const latest = await t.call('GET', `/api/v1/audit?since=${encodeURIComponent('9999-12-31T23:59:59+23:59')}`);
    expect(latest.status).toBe(200);
    expect(latest.body.entries).toEqual([]);
  });

  it('when the log is longer than a page, then nextCursor pages through every entry once, newest first', async () => {
    for (const name of ['paged-a', 'paged-b', 'paged-c']) {
      await t.call('POST', FLAGS, { key: editorKey, body: { name, environments: ['production'], enabled: false } });
    }
    const whole = (await t.call('GET', '/api/v1/audit?limit=100')).body;
    expect(whole.nextCursor).toBeUndefined();
    const ids: string[] = [];
    let pages = 0;
    // Bounded, so a relay that ignores the cursor fails instead of paging forever.
    for (let cursor: string | undefined; pages < whole.entries.length; pages += 1) {
      const page = await t.call('GET', `/api/v1/audit?limit=2${cursor === undefined ? '' : `&cursor=${cursor}`}`);
      expect(page.status).toBe(200);
      ids.push(...page.body.entries.map((entry: { id: string }) => entry.id));
      cursor = page.body.nextCursor;
      if (cursor === undefined) break;
    }
    expect(ids).toEqual(whole.entries.map((entry: { id: string }) => entry.id));
    expect(pages).toBeGreaterThan(1);
  });

  it('when the cursor is not one the relay issued, then 400 at query.cursor', async () => {
    for (const cursor of [
      'not-a-cursor',
      Buffer.from(JSON.stringify({ after: 'no-such-entry' })).toString('base64url'),
    ]) {
      const answer = await t.call('GET', `/api/v1/audit?cursor=${cursor}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].path).toBe('query.cursor');
    }
  });

  it('when since is in the future, then no entry answers; limit caps the page', async () => {
    const future = await t.call('GET', '/api/v1/audit?since=2999-01-01T00:00:00Z');
    expect(future.body.entries).toEqual([]);
    const limited = await t.call('GET', '/api/v1/audit?limit=1');
    expect(limited.body.entries).toHaveLength(1);
  });
});
