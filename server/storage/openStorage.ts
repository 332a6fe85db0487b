import type { Config } from '../config.js';
import type { Storage } from './port.js';

export interface OpenStorageOptions {
  /**
   * Another process (the cluster primary) created the tables and indexes before this one
   * started: MongoDB then creates no index. The embedded file records its own schema
   * (prepareEmbeddedSchema.ts), so opening a prepared file writes nothing either way.
   */
  prepared?: boolean;
}

/** MongoDB when MONGODB_URI is set, else the embedded file store under DATA_DIR; prepared for use unless `prepared`. */
export async function openStorage(config: Config, opts: OpenStorageOptions = {}): Promise<Storage> {
  // Each store's code (and its driver) is loaded only when it is the one configured.
  if (config.mongodbUri) {
    const { createMongoStorage } = await import('./mongo/createMongoStorage.js');
    return createMongoStorage({ uri: config.mongodbUri, dbName: config.mongodbDb, timeoutMs: config.dbTimeoutMs, poolSize: config.dbPoolSize, prepared: opts.prepared ?? false });
  }
  const { createEmbeddedStorage } = await import('./embedded/createEmbeddedStorage.js');
  return createEmbeddedStorage({ dataDir: config.dataDir, durability: config.embeddedDurability });
}
