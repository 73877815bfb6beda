import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, Store } from '../store.js';

function sampleKey(id: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    name: `key ${id}`,
    role: 'server',
    environment: 'production',
    secretHash: `hash-${id}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function apiKeyStoreContract(store: () => Store): void {
  describe('api keys', () => {
    it('when a key is created, then get, list and findBySecretHash return it', async () => {
      await store().apiKeys.create(sampleKey('k1'));
      await store().apiKeys.create(sampleKey('k2', { role: 'admin', environment: undefined }));
      expect(await store().apiKeys.get('k1')).toEqual(sampleKey('k1'));
      expect(await store().apiKeys.findBySecretHash('hash-k2')).toMatchObject({ id: 'k2', role: 'admin' });
      expect((await store().apiKeys.list()).map((key) => key.id)).toEqual(['k1', 'k2']);
    });

    it('when no key matches, then get and findBySecretHash answer null', async () => {
      expect(await store().apiKeys.get('nope')).toBeNull();
      expect(await store().apiKeys.findBySecretHash('nope')).toBeNull();
    });

    it('when a key is revoked, then it records when, and revoking an unknown key answers false', async () => {
      await store().apiKeys.create(sampleKey('k1'));
      expect(await store().apiKeys.revoke('k1', '2026-02-01T00:00:00.000Z')).toBe(true);
      expect(await store().apiKeys.get('k1')).toMatchObject({ revokedAt: '2026-02-01T00:00:00.000Z' });
      expect(await store().apiKeys.revoke('unknown', '2026-02-01T00:00:00.000Z')).toBe(false);
    });

    it('when a revoked key is revoked again, then it answers false and the first revocation time stands', async () => {
      await store().apiKeys.create(sampleKey('k1'));
      await store().apiKeys.revoke('k1', '2026-02-01T00:00:00.000Z');
      expect(await store().apiKeys.revoke('k1', '2026-03-01T00:00:00.000Z')).toBe(false);
      expect(await store().apiKeys.get('k1')).toMatchObject({ revokedAt: '2026-02-01T00:00:00.000Z' });
    });

    it('when a key is used, then lastUsedAt keeps the latest time, and an unknown key is ignored', async () => {
      await store().apiKeys.create(sampleKey('k1'));
      await store().apiKeys.markUsed('k1', '2026-03-01T00:00:00.000Z');
      await store().apiKeys.markUsed('k1', '2026-02-01T00:00:00.000Z');
      expect(await store().apiKeys.get('k1')).toMatchObject({ lastUsedAt: '2026-03-01T00:00:00.000Z' });
      await store().apiKeys.markUsed('k1', '2026-04-01T00:00:00.000Z');
      expect((await store().apiKeys.list())[0]).toMatchObject({ lastUsedAt: '2026-04-01T00:00:00.000Z' });
      await expect(store().apiKeys.markUsed('unknown', '2026-04-01T00:00:00.000Z')).resolves.toBeUndefined();
      expect(await store().apiKeys.get('unknown')).toBeNull();
    });

    it('when a lookup value is not a string, then the store refuses it', async () => {
      const operator = { $ne: '' } as unknown as string;
      await store().apiKeys.create(sampleKey('k1'));
      await expect(store().apiKeys.findBySecretHash(operator)).rejects.toBeInstanceOf(TypeError);
      await expect(store().apiKeys.get(operator)).rejects.toBeInstanceOf(TypeError);
    });
  });
}
