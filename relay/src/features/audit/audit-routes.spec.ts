import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';

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

  it('when an editor changes a flag, then each change is audited with the key\'s name, time, action and before/after', async () => {
    const started = new Date().toISOString();
    await t.call('POST', FLAGS, { key: editorKey, body: { name: 'audited', environments: ['production'], enabled: false } });
    await t.call('PATCH', `${FLAGS}/audited`, { key: editorKey, body: { enabled: true, version: 1 } });
    await t.call('POST', `${FLAGS}/audited/rollback`, { key: editorKey, body: { version: 1, expectedVersion: 2 } });
    await t.call('DELETE', `${FLAGS}/audited`, { key: editorKey, headers: { 'if-match': '"3"' } });
    const answer = await t.call('GET', `/api/v1/audit?flag=audited&since=${encodeURIComponent(started)}`, { key: editorKey });
    expect(answer.status).toBe(200);
    const entries = answer.body.entries;
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual(['flag.delete', 'flag.rollback', 'flag.patch', 'flag.create']);
    expect(entries.every((entry: { actor: string }) => entry.actor === 'editor-all')).toBe(true);
    const patch = entries[2];
    expect(patch.environment).toBe('production');
    expect(patch.before.environments.production.enabled).toBe(false);
    expect(patch.after.environments.production.enabled).toBe(true);
    expect(Date.parse(patch.at)).toBeGreaterThanOrEqual(Date.parse(started));
    expect(entries[0].before.name).toBe('audited');
    expect(entries[0].after).toBeUndefined();
  });

  it('when since is in the future, then no entry answers; limit caps the page', async () => {
    const future = await t.call('GET', '/api/v1/audit?since=2999-01-01T00:00:00Z');
    expect(future.body.entries).toEqual([]);
    const limited = await t.call('GET', '/api/v1/audit?limit=1');
    expect(limited.body.entries).toHaveLength(1);
  });
});
