import { MongoClient, type Db } from 'mongodb';
import { MongoApiKeyStore } from './mongo-api-key-store.js';
import { MongoAuditStore } from './mongo-audit-store.js';
import { MongoChangeLog } from './mongo-change-log.js';
import type {
  AuditDocument,
  CounterDocument,
  FlagChangeDocument,
  FlagDocument,
  FlagVersionDocument,
} from './mongo-documents.js';
import { guarded } from './mongo-errors.js';
import { MongoFlagStore } from './mongo-flag-store.js';
import type { ApiKeyRecord, ApiKeyStore, AuditStore, FlagStore, Store } from '../store.js';
import { UsageMongoStore } from '../usage/usage-mongo-store.js';
import type { UsageStore } from '../usage/usage-store.js';

export interface MongoStoreOptions {
  /** SWITCHYARD_MONGODB_URI. */
  mongodbUri: string;
  /** Defaults to the database named in the URI, else `switchyard`. */
  databaseName?: string;
  /** How long an operation waits for a reachable server before failing with StoreUnavailableError. */
  serverSelectionTimeoutMs?: number;
  /** How long a missing revision may stay missing before change readers pass it (see docs/storage.md). */
  gapSettleMs?: number;
  /** Change-log entries kept for `changesSince`. */
  changeLogRetention?: number;
}

export const MONGO_STORE_DEFAULTS = {
  databaseName: 'switchyard',
  serverSelectionTimeoutMs: 5_000,
  gapSettleMs: 10_000,
  changeLogRetention: 10_000,
} as const;

/** Collection names, also the ones docs/storage.md lists. */
export const COLLECTIONS = {
  flags: 'flags',
  flagVersions: 'flag_versions',
  flagChanges: 'flag_changes',
  apiKeys: 'api_keys',
  audit: 'audit',
  counters: 'counters',
} as const;

/** The MongoDB store: works on MongoDB (standalone or replica set) and FerretDB alike. */
export class MongoStore implements Store {
  readonly flags: FlagStore;
  readonly apiKeys: ApiKeyStore;
  readonly audit: AuditStore;
  readonly usage: UsageStore;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    settings: Required<Omit<MongoStoreOptions, 'mongodbUri'>>,
  ) {
    const flags = db.collection<FlagDocument>(COLLECTIONS.flags);
    const versions = db.collection<FlagVersionDocument>(COLLECTIONS.flagVersions);
    const changes = db.collection<FlagChangeDocument>(COLLECTIONS.flagChanges);
    const counters = db.collection<CounterDocument>(COLLECTIONS.counters);
    const changeLog = new MongoChangeLog({ changes, versions, flags, counters }, settings);
    this.flags = new MongoFlagStore(flags, versions, changeLog, settings.gapSettleMs);
    this.apiKeys = new MongoApiKeyStore(db.collection<ApiKeyRecord>(COLLECTIONS.apiKeys));
    this.audit = new MongoAuditStore(db.collection<AuditDocument>(COLLECTIONS.audit));
    this.usage = new UsageMongoStore(db);
  }

  /** Connects and creates the indexes; StoreUnavailableError when the server cannot be reached. */
  static async connect(options: MongoStoreOptions): Promise<MongoStore> {
    const settings = {
      databaseName: options.databaseName ?? databaseInUri(options.mongodbUri) ?? MONGO_STORE_DEFAULTS.databaseName,
      serverSelectionTimeoutMs: options.serverSelectionTimeoutMs ?? MONGO_STORE_DEFAULTS.serverSelectionTimeoutMs,
      gapSettleMs: options.gapSettleMs ?? MONGO_STORE_DEFAULTS.gapSettleMs,
      changeLogRetention: options.changeLogRetention ?? MONGO_STORE_DEFAULTS.changeLogRetention,
    };
    const client = new MongoClient(options.mongodbUri, {
      serverSelectionTimeoutMS: settings.serverSelectionTimeoutMs,
      appName: 'switchyard-relay',
    });
    try {
      await guarded(() => client.connect());
      const db = client.db(settings.databaseName);
      await guarded(() => createIndexes(db));
      return new MongoStore(client, db, settings);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  async ping(): Promise<void> {
    await guarded(() => this.db.command({ ping: 1 }));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

async function createIndexes(db: Db): Promise<void> {
  await db.collection(COLLECTIONS.flags).createIndex({ name: 1 }, { unique: true, name: 'name_unique' });
  await db.collection(COLLECTIONS.flags).createIndex({ revision: 1 }, { name: 'revision' });
  await db
    .collection(COLLECTIONS.flagVersions)
    .createIndex({ name: 1, incarnation: 1, version: 1 }, { unique: true, name: 'name_incarnation_version_unique' });
  await db.collection(COLLECTIONS.flagVersions).createIndex({ revision: 1 }, { name: 'revision' });
  await db.collection(COLLECTIONS.flagChanges).createIndex({ revision: 1 }, { unique: true, name: 'revision_unique' });
  await db.collection(COLLECTIONS.apiKeys).createIndex({ id: 1 }, { unique: true, name: 'id_unique' });
  await db.collection(COLLECTIONS.apiKeys).createIndex({ secretHash: 1 }, { name: 'secret_hash' });
  await db.collection(COLLECTIONS.audit).createIndex({ at: -1 }, { name: 'at' });
  await db.collection(COLLECTIONS.audit).createIndex({ flagName: 1, at: -1 }, { name: 'flag_name_at' });
  await db.collection(COLLECTIONS.audit).createIndex({ id: 1 }, { name: 'id' });
}

/** The database named in a connection string's path, if any. */
function databaseInUri(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}
