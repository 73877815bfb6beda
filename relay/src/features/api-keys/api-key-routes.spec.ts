import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../http/testing/test-relay.js';
import { hashSecret, parseKey } from './api-key-format.js';

const KEYS = '/api/v1/api-keys';

describe('API keys', () => {
  let t: TestRelay;
  beforeAll(async () => {
    t = await startTestRelay();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when the relay first starts, then an admin key is written to <dataDir>/admin-key with mode 0600', async () => {
    const file = join(t.dataDir, 'admin-key');
    expect((await readFile(file, 'utf8')).trim()).toBe(t.adminKey);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(parseKey(t.adminKey)?.role).toBe('admin');
  });

  it('when a key is created, then its text is answered once and only its SHA-256 is stored', async () => {
    const created = await t.call('POST', KEYS, { body: { name: 'ci', role: 'editor' } });
    expect(created.status).toBe(201);
    const parsed = parseKey(created.body.key);
    expect(parsed).toMatchObject({ role: 'editor', id: created.body.id });
    const record = await t.relay.store.apiKeys.get(created.body.id);
    expect(record?.secretHash).toBe(hashSecret(parsed!.secret));
    expect(JSON.stringify(record)).not.toContain(parsed!.secret);
    const listed = await t.call('GET', KEYS);
    const entry = listed.body.keys.find((key: { id: string }) => key.id === created.body.id);
    expect(entry).toMatchObject({ name: 'ci', role: 'editor', hint: `sy_editor_${created.body.id}_…` });
    expect(listed.text).not.toContain(parsed!.secret);
    expect(listed.text).not.toContain(record!.secretHash);
  });

  it('when a key authenticates a request, then its lastUsedAt is recorded and listed', async () => {
    const created = await t.call('POST', KEYS, { body: { name: 'reader', role: 'viewer' } });
    expect(created.body.lastUsedAt).toBeUndefined();
    const before = new Date().toISOString();
    expect((await t.call('GET', '/api/v1/feature-flags', { key: created.body.key })).status).toBe(200);
    await expect
      .poll(async () => (await t.relay.store.apiKeys.get(created.body.id))?.lastUsedAt, { timeout: 10_000 })
      .toBeDefined();
    const listed = (await t.call('GET', KEYS)).body.keys.find((key: { id: string }) => key.id === created.body.id);
    expect(listed.lastUsedAt >= before).toBe(true);
  });

  it('when a key is revoked, then it answers 401 at once and is listed as revoked', async () => {
    const created = await t.call('POST', KEYS, { body: { name: 'temp', role: 'viewer' } });
    expect((await t.call('GET', '/api/v1/feature-flags', { key: created.body.key })).status).toBe(200);
    const revoked = await t.call('DELETE', `${KEYS}/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await t.call('GET', '/api/v1/feature-flags', { key: created.body.key })).status).toBe(401);
  });

  it('when a revoked key is revoked again, then it answers 200 with the first revocation time and audits one revocation', async () => {
    const created = await t.call('POST', KEYS, { body: { name: 'twice', role: 'viewer' } });
    const first = await t.call('DELETE', `${KEYS}/${created.body.id}`);
    const again = await t.call('DELETE', `${KEYS}/${created.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const audit = await t.call('GET', '/api/v1/audit');
    const revocations = audit.body.entries.filter(
      (entry: { action: string; after?: { id?: string } }) =>
        entry.action === 'api-key.revoke' && entry.after?.id === created.body.id,
    );
    expect(revocations).toHaveLength(1);
  });

  it("when a key's role in its text is altered, then it is refused", async () => {
    const created = await t.call('POST', KEYS, { body: { name: 'honest', role: 'viewer' } });
    const forged = created.body.key.replace('sy_viewer_', 'sy_admin_');
    expect((await t.call('GET', KEYS, { key: forged })).status).toBe(401);
  });

  it('when keys are created and revoked, then the audit log names the actor', async () => {
    const created = await t.call('POST', KEYS, { body: { name: 'audited', role: 'client', environment: 'staging' } });
    await t.call('DELETE', `${KEYS}/${created.body.id}`);
    const audit = await t.call('GET', '/api/v1/audit');
    const actions = audit.body.entries.filter(
      (entry: { after?: { id?: string } }) => entry.after?.id === created.body.id,
    );
    expect(actions.map((entry: { action: string }) => entry.action).sort()).toEqual([
      'api-key.create',
      'api-key.revoke',
    ]);
    expect(actions.every((entry: { actor: string }) => entry.actor === 'first admin key')).toBe(true);
    const adminKeyId = parseKey(t.adminKey)!.id;
    expect(
      actions.every(
        (entry: { actorKeyId?: string; actorRole?: string }) =>
          entry.actorKeyId === adminKeyId && entry.actorRole === 'admin',
      ),
    ).toBe(true);
  });

  it.each(['scheduler', 'relay', ' Scheduler '])(
    "when a key is to be named %j, the name of one of the relay's own audit actors, then 400 at name",
    async (name) => {
      const answer = await t.call('POST', KEYS, { body: { name, role: 'editor' } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual(['name']);
    },
  );

  it('when two keys share a name, then the audit log tells their changes apart by key id and role', async () => {
    const editor = await t.call('POST', KEYS, { body: { name: 'twin', role: 'editor' } });
    const admin = await t.call('POST', KEYS, { body: { name: 'twin', role: 'admin' } });
    await t.call('POST', '/api/v1/feature-flags', {
      key: editor.body.key,
      body: { name: 'by-twin', environments: ['production'] },
    });
    await t.call('DELETE', `${KEYS}/${editor.body.id}`, { key: admin.body.key });
    const entries = (await t.call('GET', '/api/v1/audit?limit=2')).body.entries;
    expect(
      entries.map((entry: { actor: string; actorKeyId?: string; actorRole?: string; action: string }) => [
        entry.action,
        entry.actor,
        entry.actorKeyId,
        entry.actorRole,
      ]),
    ).toEqual([
      ['api-key.revoke', 'twin', admin.body.id, 'admin'],
      ['flag.create', 'twin', editor.body.id, 'editor'],
    ]);
  });
});

describe('the first admin key across restarts', () => {
  it('when the relay restarts on the same data, then no new key is generated and the old one still works', async () => {
    const first = await startTestRelay();
    const dataDir = first.dataDir;
    const key = first.adminKey;
    await first.relay.stop();
    const second = await startTestRelay({}, dataDir);
    try {
      expect(second.relay.firstAdminKey.key).toBeUndefined();
      expect((await second.call('GET', KEYS, { key })).status).toBe(200);
    } finally {
      await second.stop();
      await first.stop().catch(() => undefined);
    }
  });

  it('when SWITCHYARD_ADMIN_KEY is set, then that key is accepted and none is generated', async () => {
    const adminKey = 'a-long-operator-chosen-admin-key';
    const t = await startTestRelay({ adminKey });
    try {
      expect(t.relay.firstAdminKey).toEqual({});
      expect((await t.call('GET', KEYS, { key: adminKey })).status).toBe(200);
      expect((await t.call('GET', KEYS, { key: `${adminKey}x` })).status).toBe(401);
    } finally {
      await t.stop();
    }
  });

  it('when SWITCHYARD_ADMIN_KEY is added to the store, then its creation is audited once, by the relay', async () => {
    const adminKey = 'an-audited-operator-admin-key';
    const first = await startTestRelay({ adminKey });
    await first.relay.stop();
    const t = await startTestRelay({ adminKey }, first.dataDir);
    try {
      const created = (await t.call('GET', '/api/v1/audit')).body.entries.filter(
        (entry: { action: string }) => entry.action === 'api-key.create',
      );
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({
        actor: 'relay',
        after: { name: 'admin (SWITCHYARD_ADMIN_KEY)', role: 'admin' },
      });
      expect(created[0].actorKeyId).toBeUndefined();
      expect(created[0].actorRole).toBeUndefined();
    } finally {
      await t.stop();
      await first.stop();
    }
  });
});

describe('SWITCHYARD_ADMIN_KEY that cannot be an admin key', () => {
  it.each(['editor', 'viewer', 'server', 'client'])(
    'when it is a %s key in the key format, then the relay does not start and says it must be an admin key',
    async (role) => {
      const adminKey = `sy_${role}_00112233445566ff_${'x'.repeat(43)}`;
      await expect(startTestRelay({ adminKey })).rejects.toThrow(
        /^SWITCHYARD_ADMIN_KEY is a \w+ key; it must be an admin key/,
      );
    },
  );

  it.each([
    ['a space', 'an operator admin key with spaces'],
    ['a tab', 'an-operator-admin-key\twith-a-tab'],
  ])('when it contains %s, then the relay does not start and names the setting', async (_, adminKey) => {
    await expect(startTestRelay({ adminKey })).rejects.toThrow(/^SWITCHYARD_ADMIN_KEY contains whitespace/);
  });

  it('when it is shorter than 16 characters, then the relay does not start', async () => {
    await expect(startTestRelay({ adminKey: 'short-key' })).rejects.toThrow(
      /^SWITCHYARD_ADMIN_KEY is too short; it must be an admin key/,
    );
  });
});

describe('SWITCHYARD_ADMIN_KEY in the key format', () => {
  it('when it is accepted once and then revoked, then a restart with it fails saying why instead of reviving it', async () => {
    const adminKey = `sy_admin_00112233445566ff_${'x'.repeat(43)}`;
    const first = await startTestRelay({ adminKey });
    const other = await first.keyFor('admin');
    await first.call('DELETE', '/api/v1/api-keys/00112233445566ff', { key: other });
    expect((await first.call('GET', KEYS, { key: adminKey })).status).toBe(401);
    await first.relay.stop();
    await expect(startTestRelay({ adminKey }, first.dataDir)).rejects.toThrow(
      /00112233445566ff .*taken by a revoked key/,
    );
    await first.stop();
  });
});

describe('SWITCHYARD_ADMIN_KEY as free text', () => {
  it('when it was revoked, then a restart with it fails instead of reviving it', async () => {
    const adminKey = 'free-text-admin-key-for-revocation';
    const first = await startTestRelay({ adminKey });
    const listed = await first.call('GET', KEYS, { key: adminKey });
    const id = listed.body.keys.find((key: { name: string }) => key.name === 'admin (SWITCHYARD_ADMIN_KEY)').id;
    const other = await first.keyFor('admin');
    await first.call('DELETE', `${KEYS}/${id}`, { key: other });
    await first.relay.stop();
    await expect(startTestRelay({ adminKey }, first.dataDir)).rejects.toThrow(/taken by a revoked key/);
    await first.stop();
  });
});
