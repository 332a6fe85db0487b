// Token signing keys, one document per rotation slot. The slot is the _id, so when several
// instances create the key of a new slot at once, the unique key lets exactly one insert
// win (an insert, not an upsert: FerretDB v1 runs conditional writes as read-then-write).
import type { Collection, Db } from 'mongodb';
import type { SealedSecret, SigningKeyRecord, SigningKeyStore } from '../port.js';
import { isDuplicateKey } from './guard.js';

interface SigningKeyDoc {
  _id: number;
  kid: string;
  publicJwk: Record<string, string>;
  privateJwk: SealedSecret;
  createdAt: Date;
  activeFrom: Date;
}

export function signingKeysCollection(db: Db): Collection<SigningKeyDoc> {
  return db.collection<SigningKeyDoc>('signing_keys');
}

export async function createSigningKeyIndexes(db: Db): Promise<void> {
  await signingKeysCollection(db).createIndex({ kid: 1 }, { unique: true, name: 'kid_unique' });
}

const toRecord = (d: SigningKeyDoc): SigningKeyRecord => ({
  slot: d._id,
  kid: d.kid,
  publicJwk: d.publicJwk,
  privateJwk: d.privateJwk,
  createdAt: d.createdAt.getTime(),
  activeFrom: d.activeFrom.getTime(),
});

export function createMongoSigningKeyStore(db: Db): SigningKeyStore {
  const col = signingKeysCollection(db);
  return {
    async create(k) {
      try {
        await col.insertOne({
          _id: k.slot,
          kid: k.kid,
          publicJwk: k.publicJwk,
          privateJwk: k.privateJwk,
          createdAt: new Date(k.createdAt),
          activeFrom: new Date(k.activeFrom),
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async list() {
      return (await col.find({}).sort({ _id: 1 }).toArray()).map(toRecord);
    },
    async removeBefore(slot) {
      return (await col.deleteMany({ _id: { $lt: slot } })).deletedCount;
    },
    async replaceSealed(slot, expected, next) {
      // Not a single-use decision: two rotations racing both seal the same private key with
      // the current key, and either result opens.
      const r = await col.updateOne({ _id: slot, 'privateJwk.keyId': expected.keyId, 'privateJwk.sealed': expected.sealed }, { $set: { privateJwk: next } });
      return r.modifiedCount === 1;
    },
  };
}
