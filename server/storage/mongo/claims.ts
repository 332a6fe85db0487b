// Single-use claims: "this challenge / counter value / TOTP step is taken", decided by ONE
// insert against the unique _id. Why not a conditional findOneAndUpdate alone: on MongoDB
// it is atomic, but MongoDB-compatible servers differ — FerretDB v1 runs it as a read
// followed by an unconditional write, so two concurrent requests can both "win". A unique
// key is enforced by every such server's storage engine, so a claim is atomic everywhere.
import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from './guard.js';
import { ensureTtlIndex } from './ttl.js';

interface ClaimDoc {
  _id: string;
  expiresAt: Date;
}

export function claimsCollection(db: Db): Collection<ClaimDoc> {
  return db.collection<ClaimDoc>('claims');
}

export function createClaimIndexes(db: Db): Promise<boolean> {
  return ensureTtlIndex(claimsCollection(db));
}

export type ClaimOnce = (key: string, expiresAt: number) => Promise<boolean>;

/** true for the first caller with `key`, false for everyone after (until the claim expires). */
export function createClaimOnce(db: Db): ClaimOnce {
  const col = claimsCollection(db);
  return async (key, expiresAt) => {
    try {
      await col.insertOne({ _id: key, expiresAt: new Date(expiresAt) });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  };
}
