import type { FileStoreCore } from './file-store.js';
import { assertName } from '../flag-query.js';
import type { ApiKeyRecord, ApiKeyStore } from '../store.js';
import { ApiKeyExistsError } from '../store-errors.js';

export class FileApiKeyStore implements ApiKeyStore {
  constructor(private readonly core: FileStoreCore) {}

  async create(record: ApiKeyRecord): Promise<void> {
    assertName(record.id, 'API key id');
    return this.core.serialize(async () => {
      if (this.core.state.apiKeys.has(record.id)) throw new ApiKeyExistsError(record.id);
      await this.core.commit({ op: 'key.put', key: structuredClone(record) });
    });
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    assertName(id, 'API key id');
    return structuredClone(this.core.state.apiKeys.get(id) ?? null);
  }

  async findBySecretHash(secretHash: string): Promise<ApiKeyRecord | null> {
    assertName(secretHash, 'secret hash');
    for (const key of this.core.state.apiKeys.values()) {
      if (key.secretHash === secretHash) return structuredClone(key);
    }
    return null;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return structuredClone([...this.core.state.apiKeys.values()]);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    assertName(id, 'API key id');
    return this.core.serialize(async () => {
      const key = this.core.state.apiKeys.get(id);
      if (key === undefined || key.revokedAt !== undefined) return false;
      await this.core.commit({ op: 'key.revoke', id, at });
      return true;
    });
  }

  async markUsed(id: string, at: string): Promise<void> {
    assertName(id, 'API key id');
    assertName(at, 'time of use');
    return this.core.serialize(async () => {
      if (this.core.state.apiKeys.has(id)) await this.core.commit({ op: 'key.used', id, at });
    });
  }
}
