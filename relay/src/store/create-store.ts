import { FileStore, type FileStoreOptions } from './file/file-store.js';
import { MongoStore, type MongoStoreOptions } from './mongo/mongo-store.js';
import type { Store } from './store.js';

/** Which store to open: the embedded one under `dataDir`, or MongoDB at `mongodbUri`. */
export type StoreConfig = FileStoreOptions | MongoStoreOptions;

/** The relay's store settings (docs/configuration.md, "Storage"): which store, and the limits of each. */
export interface StoreSettings {
  dataDir: string;
  mongodbUri: string | undefined;
  mongodbDatabase: string | undefined;
  changeLogRetention: number;
  compactionThresholdBytes: number;
  mongodbServerSelectionTimeoutMs: number;
  mongodbGapSettleMs: number;
}

/** The options of the store the settings select: MongoDB when a URI is set, else the embedded store. */
export function storeConfigOf(settings: StoreSettings): StoreConfig {
  const { changeLogRetention } = settings;
  if (settings.mongodbUri === undefined) {
    return {
      dataDir: settings.dataDir,
      changeLogRetention,
      compactionThresholdBytes: settings.compactionThresholdBytes,
    };
  }
  return {
    mongodbUri: settings.mongodbUri,
    ...(settings.mongodbDatabase === undefined ? {} : { databaseName: settings.mongodbDatabase }),
    changeLogRetention,
    serverSelectionTimeoutMs: settings.mongodbServerSelectionTimeoutMs,
    gapSettleMs: settings.mongodbGapSettleMs,
  };
}

/** Opens the configured store (MongoDB when a URI is given); the caller closes it on shutdown. */
export async function createStore(config: StoreConfig): Promise<Store> {
  if ('mongodbUri' in config && typeof config.mongodbUri === 'string') return MongoStore.connect(config);
  return FileStore.open(config as FileStoreOptions);
}
