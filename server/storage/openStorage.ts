import type { Config } from '../config.js';
import type { Storage } from './port.js';
import { createEmbeddedStorage } from './embedded/createEmbeddedStorage.js';
import { createMongoStorage } from './mongo/createMongoStorage.js';

/** MongoDB when MONGODB_URI is set, else the embedded file store under DATA_DIR. */
export async function openStorage(config: Config): Promise<Storage> {
  if (config.mongodbUri) {
    return createMongoStorage({ uri: config.mongodbUri, dbName: config.mongodbDb, timeoutMs: config.dbTimeoutMs, poolSize: config.dbPoolSize });
  }
  return createEmbeddedStorage({ dataDir: config.dataDir, durability: config.embeddedDurability });
}
