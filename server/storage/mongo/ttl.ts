import type { Collection, Document } from 'mongodb';

const NOT_IMPLEMENTED = 238;

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
