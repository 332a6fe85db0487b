// FIDO MDS3 blobs, one row per serial number; INSERT OR IGNORE on the primary key lets one
// writer of a given blob win, and the highest number is the current blob.
import type { Database } from 'better-sqlite3';
import type { MdsBlobRecord, MdsBlobStore } from '../port.js';

export const MDS_BLOBS_SCHEMA = `
CREATE TABLE IF NOT EXISTS mds_blobs (
  no INTEGER PRIMARY KEY,
  jwt TEXT NOT NULL,
  next_update INTEGER NOT NULL,
  stored_at INTEGER NOT NULL
);
`;

interface Row {
  no: number;
  jwt: string;
  next_update: number;
  stored_at: number;
}

export function createEmbeddedMdsBlobStore(db: Database): MdsBlobStore {
  const insert = db.prepare('INSERT OR IGNORE INTO mds_blobs (no, jwt, next_update, stored_at) VALUES (@no, @jwt, @nextUpdate, @storedAt)');
  const prune = db.prepare('DELETE FROM mds_blobs WHERE no < ?');
  const latest = db.prepare<[], Row>('SELECT * FROM mds_blobs ORDER BY no DESC LIMIT 1');
  const serial = db.prepare<[], { no: number }>('SELECT no FROM mds_blobs ORDER BY no DESC LIMIT 1');
  const save = db.transaction((r: MdsBlobRecord) => {
    if (insert.run(r).changes !== 1) return false;
    prune.run(r.no);
    return true;
  });
  return {
    async save(r) {
      return save(r);
    },
    async latest() {
      const r = latest.get();
      return r ? { no: r.no, jwt: r.jwt, nextUpdate: r.next_update, storedAt: r.stored_at } : null;
    },
    async latestSerial() {
      return serial.get()?.no ?? null;
    },
  };
}
