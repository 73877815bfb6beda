import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Logger } from '../../logging/logger.js';
import { FileStore } from '../../store/file-store.js';
import { AuditService } from '../audit/audit-service.js';
import { ApiKeyService } from './api-key-service.js';

describe('ApiKeyService lastUsedAt', () => {
  let dataDir: string;
  let store: FileStore;
  let clock: number;
  let keys: ApiKeyService;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-keys-'));
    store = await FileStore.open({ dataDir });
    clock = Date.parse('2026-05-01T10:00:00.000Z');
    keys = new ApiKeyService(store.apiKeys, new AuditService(store.audit, new Logger('silent')), { environments: ['production'], cacheSeconds: 0 }, () => clock);
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const lastUsed = async (id: string) => (await store.apiKeys.get(id))?.lastUsedAt;

  it('when a key is used again within a minute, then lastUsedAt is not rewritten; after a minute it is', async () => {
    const { apiKey, key } = await keys.create({ name: 'reader', role: 'viewer' }, 'test');
    await keys.authenticate(key);
    await expect.poll(() => lastUsed(apiKey.id)).toBe('2026-05-01T10:00:00.000Z');
    clock += 59_000;
    await keys.authenticate(key);
    // A later write queues behind any lastUsedAt write the store was asked for.
    await keys.create({ name: 'other', role: 'viewer' }, 'test');
    expect(await lastUsed(apiKey.id)).toBe('2026-05-01T10:00:00.000Z');
    clock += 2_000;
    await keys.authenticate(key);
    await expect.poll(() => lastUsed(apiKey.id)).toBe('2026-05-01T10:01:01.000Z');
  });

  it('when the presented secret is wrong, then lastUsedAt stays unset', async () => {
    const { apiKey, key } = await keys.create({ name: 'reader', role: 'viewer' }, 'test');
    expect(await keys.authenticate(`${key.slice(0, -2)}xx`)).toBeUndefined();
    await keys.authenticate('sy_viewer_0000000000000000_nothing');
    expect(await lastUsed(apiKey.id)).toBeUndefined();
  });
});
