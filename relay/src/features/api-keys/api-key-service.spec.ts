import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logging/logger.js';
import { FileStore } from '../../store/file/file-store.js';
import { AuditService, type AuditActor } from '../audit/audit-service.js';
import { ApiKeyService, type ApiKeyServiceOptions } from './api-key-service.js';

const TEST_ACTOR: AuditActor = { name: 'test' };

const OPTIONS: ApiKeyServiceOptions = {
  environments: ['production'],
  cacheSeconds: 0,
  maxCachedKeys: 10_000,
  lastUsedIntervalSeconds: 60,
};

let dataDir: string;
let store: FileStore;
let clock: number;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'switchyard-keys-'));
  store = await FileStore.open({ dataDir });
  clock = Date.parse('2026-05-01T10:00:00.000Z');
});
afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function service(options: Partial<ApiKeyServiceOptions> = {}): ApiKeyService {
  return new ApiKeyService(
    store.apiKeys,
    new AuditService(store.audit, createLogger('silent')),
    { ...OPTIONS, ...options },
    () => clock,
  );
}

describe('ApiKeyService lastUsedAt', () => {
  let keys: ApiKeyService;
  beforeEach(() => {
    keys = service();
  });

  const lastUsed = async (id: string) => (await store.apiKeys.get(id))?.lastUsedAt;

  it('when a key is used again within a minute, then lastUsedAt is not rewritten; after a minute it is', async () => {
    const { apiKey, key } = await keys.create({ name: 'reader', role: 'viewer' }, TEST_ACTOR);
    await keys.authenticate(key);
    await expect.poll(() => lastUsed(apiKey.id)).toBe('2026-05-01T10:00:00.000Z');
    clock += 59_000;
    await keys.authenticate(key);
    // A later write queues behind any lastUsedAt write the store was asked for.
    await keys.create({ name: 'other', role: 'viewer' }, TEST_ACTOR);
    expect(await lastUsed(apiKey.id)).toBe('2026-05-01T10:00:00.000Z');
    clock += 2_000;
    await keys.authenticate(key);
    await expect.poll(() => lastUsed(apiKey.id)).toBe('2026-05-01T10:01:01.000Z');
  });

  it('when the presented secret is wrong, then lastUsedAt stays unset', async () => {
    const { apiKey, key } = await keys.create({ name: 'reader', role: 'viewer' }, TEST_ACTOR);
    expect(await keys.authenticate(`${key.slice(0, -2)}xx`)).toBeUndefined();
    await keys.authenticate('sy_viewer_0000000000000000_nothing');
    expect(await lastUsed(apiKey.id)).toBeUndefined();
  });
});

describe('ApiKeyService settings', () => {
  const lastUsed = async (id: string) => (await store.apiKeys.get(id))?.lastUsedAt;

  it('when the last-used interval is 10 s, then a use 11 s later is written', async () => {
    const keys = service({ lastUsedIntervalSeconds: 10 });
    const { apiKey, key } = await keys.create({ name: 'reader', role: 'viewer' }, TEST_ACTOR);
    await keys.authenticate(key);
    await expect.poll(() => lastUsed(apiKey.id)).toBe('2026-05-01T10:00:00.000Z');
    clock += 11_000;
    await keys.authenticate(key);
    await expect.poll(() => lastUsed(apiKey.id)).toBe('2026-05-01T10:00:11.000Z');
  });

  it('when the key cache is full, then it starts over, so a key revoked elsewhere is refused once it was dropped', async () => {
    const revokedElsewhere = async (maxCachedKeys: number) => {
      const keys = service({ cacheSeconds: 3600, maxCachedKeys });
      const first = await keys.create({ name: `first-${maxCachedKeys}`, role: 'viewer' }, TEST_ACTOR);
      const second = await keys.create({ name: `second-${maxCachedKeys}`, role: 'viewer' }, TEST_ACTOR);
      expect(await keys.authenticate(first.key)).toBeDefined();
      expect(await keys.authenticate(second.key)).toBeDefined();
      // Revoked in the store directly, as another relay sharing the database would.
      await store.apiKeys.revoke(first.apiKey.id, new Date(clock).toISOString());
      return keys.authenticate(first.key);
    };
    expect(await revokedElsewhere(2)).toBeDefined();
    expect(await revokedElsewhere(1)).toBeUndefined();
  });
});

describe('ApiKeyService revoke', () => {
  it('when a revoked key is revoked again, then its first revocation time stands and only one revocation is audited', async () => {
    const keys = service();
    const { apiKey } = await keys.create({ name: 'temp', role: 'viewer' }, TEST_ACTOR);
    const first = await keys.revoke(apiKey.id, TEST_ACTOR);
    clock += 60_000;
    const again = await keys.revoke(apiKey.id, TEST_ACTOR);
    expect(again).toEqual(first);
    expect(first.revokedAt).toBe('2026-05-01T10:00:00.000Z');
    const revocations = (await store.audit.list({})).filter((entry) => entry.action === 'api-key.revoke');
    expect(revocations).toHaveLength(1);
  });
});
