import type { Collection, Document } from 'mongodb';

const NOT_IMPLEMENTED = 238;
const NAMESPACE_NOT_FOUND = 26;

/**
 * Creates a TTL index on `expiresAt`. MongoDB removes expired documents itself; FerretDB v1
 * (SQLite) answers NotImplemented, and then the adapter's sweeper deletes them instead.
 * Either way, queries check expiry themselves, so correctness never depends on cleanup.
 */
export async function ensureTtlIndex<T extends Document>(collection: Collection<T>): Promise<boolean> {
  try {
    await collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expires_ttl' });
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code !== NOT_IMPLEMENTED) throw err;
    await collection.createIndex({ expiresAt: 1 }, { name: 'expires' });
    return false;
  }
}

/** Whether ensureTtlIndex made a TTL index here (false also when the collection is missing). */
export async function hasTtlIndex(collection: Pick<Collection, 'listIndexes'>): Promise<boolean> {
  try {
    return (await collection.listIndexes().toArray()).some((i) => i['name'] === 'expires_ttl' && i['expireAfterSeconds'] !== undefined);
  } catch (err) {
    if ((err as { code?: unknown }).code === NAMESPACE_NOT_FOUND) return false;
    throw err;
  }
}
