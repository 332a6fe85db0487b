import { Binary, type Collection, type Db } from 'mongodb';
import type { AttestationProof, CredentialRecord, CredentialStore } from '../port.js';
import { isDuplicateKey } from './guard.js';
import type { ClaimOnce } from './claims.js';

/**
 * How long the move away from a counter value stays claimed. Only the milliseconds between
 * the read and the write need it; kept short so that an instance dying in between leaves the
 * key refused for minutes, not a day (the write is conditional on the counter read anyway).
 */
const COUNTER_CLAIM_MS = 10 * 60_000;
const REVOKE_CLAIM_MS = 86_400_000;

interface CredentialDoc {
  _id: string;
  userId: string;
  name: string;
  publicKey: Binary;
  counter: number;
  transports: string[];
  aaguid: string;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  flagged: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Absent on keys stored before attestation was kept. */
  attestation?: AttestationProof | null;
  modelRevokedBy?: string | null;
}

function toRecord(d: CredentialDoc): CredentialRecord {
  return {
    id: d._id,
    userId: d.userId,
    name: d.name,
    // A copy into a fresh ArrayBuffer: the library wants Uint8Array<ArrayBuffer>.
    publicKey: new Uint8Array(d.publicKey.buffer),
    counter: d.counter,
    transports: d.transports,
    aaguid: d.aaguid,
    deviceType: d.deviceType,
    backedUp: d.backedUp,
    flagged: d.flagged,
    createdAt: d.createdAt.getTime(),
    lastUsedAt: d.lastUsedAt ? d.lastUsedAt.getTime() : null,
    attestation: d.attestation ?? null,
    modelRevokedBy: d.modelRevokedBy ?? null,
  };
}

export function credentialsCollection(db: Db): Collection<CredentialDoc> {
  return db.collection<CredentialDoc>('credentials');
}

export async function createCredentialIndexes(db: Db): Promise<void> {
  // _id is the credential id, unique by construction; users list their keys by userId.
  await credentialsCollection(db).createIndex({ userId: 1, createdAt: 1 }, { name: 'by_user' });
  await credentialsCollection(db).createIndex({ aaguid: 1 }, { name: 'by_model' });
}

export function createMongoCredentialStore(db: Db, claimOnce: ClaimOnce): CredentialStore {
  const col = credentialsCollection(db);
  return {
    async create(c) {
      try {
        await col.insertOne({
          _id: c.id,
          userId: c.userId,
          name: c.name,
          publicKey: new Binary(c.publicKey),
          counter: c.counter,
          transports: c.transports,
          aaguid: c.aaguid,
          deviceType: c.deviceType,
          backedUp: c.backedUp,
          flagged: c.flagged,
          createdAt: new Date(c.createdAt),
          lastUsedAt: c.lastUsedAt === null ? null : new Date(c.lastUsedAt),
          attestation: c.attestation,
          modelRevokedBy: c.modelRevokedBy,
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async findById(id) {
      const d = await col.findOne({ _id: id });
      return d ? toRecord(d) : null;
    },
    async listByUser(userId) {
      return (await col.find({ userId }).sort({ createdAt: 1 }).toArray()).map(toRecord);
    },
    countByUser: (userId) => col.countDocuments({ userId }),
    async rename(userId, id, name) {
      const d = await col.findOneAndUpdate({ _id: id, userId }, { $set: { name } }, { returnDocument: 'after' });
      return d ? toRecord(d) : null;
    },
    async remove(userId, id) {
      return (await col.deleteOne({ _id: id, userId })).deletedCount === 1;
    },
    async recordUse(id, use) {
      const current = await col.findOne({ _id: id }, { projection: { counter: 1 } });
      if (!current) return 'missing';
      const set = { $set: { counter: use.newCounter, lastUsedAt: new Date(use.at), backedUp: use.backedUp } };
      if (use.newCounter === 0) {
        // A key without a counter (synced passkeys): fine while it never had one.
        if (current.counter !== 0) return 'counter_regressed';
        await col.updateOne({ _id: id, counter: 0 }, set);
        return 'recorded';
      }
      if (use.newCounter <= current.counter) return 'counter_regressed';
      // One move away from each stored value: claiming "from this counter" is the atomic
      // step, so of two assertions read against the same counter (say 6 and 5 after 4) only
      // one is accepted, whatever their order. Claiming the new value instead would let both
      // through. The write is then conditional on the counter still being the one read.
      if (!(await claimOnce(`webauthn-counter:${id}:from:${current.counter}`, use.at + COUNTER_CLAIM_MS))) return 'counter_regressed';
      const moved = await col.findOneAndUpdate({ _id: id, counter: current.counter }, set);
      return moved ? 'recorded' : 'counter_regressed';
    },
    async removeAllForUser(userId) {
      return (await col.deleteMany({ userId })).deletedCount;
    },
    async flag(id) {
      await col.updateOne({ _id: id }, { $set: { flagged: true } });
    },
    async markModelRevoked(aaguid, status, at) {
      const unmarked = { aaguid: aaguid.toLowerCase(), $or: [{ modelRevokedBy: null }, { modelRevokedBy: { $exists: false } }] };
      const marked: CredentialRecord[] = [];
      for (const d of await col.find(unmarked, { projection: { _id: 1 } }).toArray()) {
        // The claim (a unique insert) picks the one caller that marks this key: a conditional
        // update alone is read-then-write on FerretDB v1, and two callers could both pass it.
        // After the claim lapses the key is marked, so the query above no longer finds it.
        if (!(await claimOnce(`mds-revoked:${d._id}`, at + REVOKE_CLAIM_MS))) continue;
        const after = await col.findOneAndUpdate({ _id: d._id }, { $set: { modelRevokedBy: status } }, { returnDocument: 'after' });
        if (after) marked.push(toRecord(after));
      }
      return marked;
    },
  };
}
