import { FileStore, type FileStoreOptions } from './file-store.js';
import { MongoStore, type MongoStoreOptions } from './mongo-store.js';
import type { Store } from './store.js';

/** Which store to open: the embedded one under `dataDir`, or MongoDB at `mongodbUri`. */
export type StoreConfig = FileStoreOptions | MongoStoreOptions;

/** Opens the configured store (MongoDB when a URI is given); the caller closes it on shutdown. */
export async function createStore(config: StoreConfig): Promise<Store> {
  if ('mongodbUri' in config && typeof config.mongodbUri === 'string') return MongoStore.connect(config);
  return FileStore.open(config as FileStoreOptions);
}
