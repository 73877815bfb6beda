import type { Collection } from 'mongodb';
import { assertName } from '../flag-query.js';
import { guarded, isDuplicateKey } from './mongo-errors.js';
import type { ApiKeyRecord, ApiKeyStore } from '../store.js';
import { ApiKeyExistsError } from '../store-errors.js';

/** Key records are plain documents: their fields are known and hold no user-shaped JSON. */
export class MongoApiKeyStore implements ApiKeyStore {
  constructor(private readonly keys: Collection<ApiKeyRecord>) {}

  async create(record: ApiKeyRecord): Promise<void> {
    assertName(record.id, 'API key id');
    await guarded(async () => {
      try {
        await this.keys.insertOne({ ...withoutUndefined(record) });
      } catch (error) {
        throw isDuplicateKey(error) ? new ApiKeyExistsError(record.id) : error;
      }
    });
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    assertName(id, 'API key id');
    return guarded(() => this.keys.findOne({ id }, { projection: { _id: 0 } }));
  }

  async findBySecretHash(secretHash: string): Promise<ApiKeyRecord | null> {
    assertName(secretHash, 'secret hash');
    return guarded(() => this.keys.findOne({ secretHash }, { projection: { _id: 0 } }));
  }

  list(): Promise<ApiKeyRecord[]> {
    return guarded(() =>
      this.keys
        .find({}, { projection: { _id: 0 } })
        .sort({ createdAt: 1, _id: 1 })
        .toArray(),
    );
  }

  async revoke(id: string, at: string): Promise<boolean> {
    assertName(id, 'API key id');
    assertName(at, 'revocation time');
    // Conditional, so of two relays revoking the key at once only one succeeds and the first time stands.
    const { modifiedCount } = await guarded(() =>
      this.keys.updateOne({ id, revokedAt: { $exists: false } }, { $set: { revokedAt: at } }),
    );
    return modifiedCount === 1;
  }

  async markUsed(id: string, at: string): Promise<void> {
    assertName(id, 'API key id');
    assertName(at, 'time of use');
    // ISO-8601 UTC strings order as their times, so the filter keeps the latest use.
    await guarded(() =>
      this.keys.updateOne(
        { id, $or: [{ lastUsedAt: { $exists: false } }, { lastUsedAt: { $lt: at } }] },
        { $set: { lastUsedAt: at } },
      ),
    );
  }
}

/** MongoDB would store an explicit `undefined` as null; leave such fields out instead. */
function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
