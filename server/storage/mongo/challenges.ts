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
      // One findOneAndDelete: of many concurrent attempts, exactly one gets the document.
      const d = await challenges.findOneAndDelete({ _id: challenge, binding, purpose });
      return d ? { challenge: d._id, binding: d.binding, purpose: d.purpose, userId: d.userId, expiresAt: d.expiresAt.getTime() } : null;
    },
  };
}
