import { FileStore, type FileStoreOptions } from './file-store.js';
import type { Store } from './store.js';

/** Which store to open: the embedded one under `dataDir`, or MongoDB at `mongodbUri`. */
export type StoreConfig = FileStoreOptions | MongoStoreConfig;

export interface MongoStoreConfig {
  mongodbUri: string;
  /** Defaults to the database named in the URI, else `switchyard`. */
  databaseName?: string;
}

/** Opens the configured store; the caller closes it on shutdown. */
export async function createStore(config: StoreConfig): Promise<Store> {
  if ('mongodbUri' in config) throw new Error('the MongoDB store is not available yet');
  return FileStore.open(config);
}
