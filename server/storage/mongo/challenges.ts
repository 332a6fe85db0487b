import type { Collection, Db } from 'mongodb';
import type { CeremonyPurpose, ChallengeStore } from '../port.js';
import { ensureTtlIndex } from './ttl.js';

interface ChallengeDoc {
  _id: string;
  binding: string;
  purpose: CeremonyPurpose;
  userId: string | null;
  expiresAt: Date;
}

export function challengesCollection(db: Db): Collection<ChallengeDoc> {
  return db.collection<ChallengeDoc>('challenges');
}

export async function createChallengeIndexes(db: Db): Promise<boolean> {
  return ensureTtlIndex(challengesCollection(db));
}

export function createMongoChallengeStore(db: Db): ChallengeStore {
  const challenges = challengesCollection(db);
  return {
    async save(c) {
      await challenges.insertOne({ _id: c.challenge, binding: c.binding, purpose: c.purpose, userId: c.userId, expiresAt: new Date(c.expiresAt) });
    },
    async consume(challenge, binding, purpose) {
      // Looked up by _id alone (FerretDB v1 reads the whole collection for any other filter)
      // and matched here; a challenge is never modified, so the checks hold for the delete.
      const d = await challenges.findOne({ _id: challenge });
      if (!d || d.binding !== binding || d.purpose !== purpose) return null;
      // The deciding step is the delete's own count: of many concurrent attempts exactly one
      // removes the document (findOneAndDelete is not atomic on FerretDB v1; see claims.ts).
      const { deletedCount } = await challenges.deleteOne({ _id: challenge });
      return deletedCount === 1
        ? { challenge: d._id, binding: d.binding, purpose: d.purpose, userId: d.userId, expiresAt: d.expiresAt.getTime() }
        : null;
    },
  };
}
