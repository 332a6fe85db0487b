// Token signing keys, one document per rotation slot and algorithm. The slot is the _id, so
// when several instances create the key of a new slot at once, the unique key lets exactly
// one insert win (an insert, not an upsert: FerretDB v1 runs conditional writes as
// read-then-write). ES256 keys keep the collection they always had (a ring made before RS256
// existed is read as it is); RS256 keys have a collection of the same shape.
import type { Collection, Db } from 'mongodb';
import type { SealedSecret, SigningAlg, SigningKeyRecord, SigningKeyStore } from '../port.js';
import { isDuplicateKey } from './guard.js';

interface SigningKeyDoc {
  _id: number;
  kid: string;
  publicJwk: Record<string, string>;
  privateJwk: SealedSecret;
  createdAt: Date;
  activeFrom: Date;
}

const COLLECTIONS: Record<SigningAlg, string> = { ES256: 'signing_keys', RS256: 'signing_keys_rs256' };

export function signingKeysCollection(db: Db, alg: SigningAlg = 'ES256'): Collection<SigningKeyDoc> {
  return db.collection<SigningKeyDoc>(COLLECTIONS[alg]);
}

export async function createSigningKeyIndexes(db: Db): Promise<void> {
  for (const alg of ['ES256', 'RS256'] as const) await signingKeysCollection(db, alg).createIndex({ kid: 1 }, { unique: true, name: 'kid_unique' });
}

const toRecord = (alg: SigningAlg, d: SigningKeyDoc): SigningKeyRecord => ({
  alg,
  slot: d._id,
  kid: d.kid,
  publicJwk: d.publicJwk,
  privateJwk: d.privateJwk,
  createdAt: d.createdAt.getTime(),
  activeFrom: d.activeFrom.getTime(),
});

export function createMongoSigningKeyStore(db: Db): SigningKeyStore {
  const col = (alg: SigningAlg) => signingKeysCollection(db, alg);
  return {
    async create(k) {
      try {
        await col(k.alg).insertOne({
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
      const keys: SigningKeyRecord[] = [];
      for (const alg of ['ES256', 'RS256'] as const) keys.push(...(await col(alg).find({}).sort({ _id: 1 }).toArray()).map((d) => toRecord(alg, d)));
      // Stable: within a slot, ES256 (listed first) stays first.
      return keys.sort((a, b) => a.slot - b.slot);
    },
    async removeBefore(alg, slot) {
      return (await col(alg).deleteMany({ _id: { $lt: slot } })).deletedCount;
    },
    async replaceSealed(key, expected, next) {
      // Not a single-use decision: two rotations racing both seal the same private key with
      // the current key, and either result opens.
      const r = await col(key.alg).updateOne({ _id: key.slot, 'privateJwk.keyId': expected.keyId, 'privateJwk.sealed': expected.sealed }, { $set: { privateJwk: next } });
      return r.modifiedCount === 1;
    },
  };
}
