// What must not change when only malformed requests arrive: every table or collection
// except those that legitimately move on a refused request (audit events and failed-attempt
// counters record the refusal; challenges are issued and spent by each ceremony).
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';

export const MOVES_ON_REFUSAL = new Set(['audit', 'attempt_buckets', 'challenges', 'sqlite_sequence']);

export type Snapshot = () => Promise<Record<string, unknown[]>>;

export function embeddedSnapshot(file: string): { take: Snapshot; close(): void } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[])
    .map((t) => t.name)
    .filter((t) => !MOVES_ON_REFUSAL.has(t));
  const reads = tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`)] as const);
  return {
    take: async () => Object.fromEntries(reads.map(([t, stmt]) => [t, stmt.all()])),
    close: () => db.close(),
  };
}

export async function mongoSnapshot(uri: string, dbName: string): Promise<{ take: Snapshot; close(): Promise<void> }> {
  const client = await MongoClient.connect(uri);
  const db = client.db(dbName);
  return {
    async take() {
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !MOVES_ON_REFUSAL.has(n)).sort();
      const out: Record<string, unknown[]> = {};
      for (const n of names) out[n] = await db.collection(n).find({}, { sort: { _id: 1 } }).toArray();
      return out;
    },
    close: () => client.close(),
  };
}
