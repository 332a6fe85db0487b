// Challenges: random, stored in the database (any instance can finish a ceremony),
// bound to the asking session and to their purpose, expiring, and spent by their first
// use — the consume is one atomic delete, so a spent challenge never verifies twice.
import type { Clock, Random } from '../clock.js';
import type { CeremonyPurpose, ChallengeRecord, ChallengeStore } from '../storage/port.js';

export const CHALLENGE_BYTES = 32;

export type SpentChallenge = { ok: true; record: ChallengeRecord } | { ok: false; reason: 'unknown_challenge' | 'expired_challenge' };

export function createChallengeService(deps: { store: ChallengeStore; clock: Clock; random: Random; ttlMs: number }) {
  return {
    async issue(binding: string, purpose: CeremonyPurpose, userId: string | null): Promise<string> {
      const challenge = deps.random.bytes(CHALLENGE_BYTES).toString('base64url');
      await deps.store.save({ challenge, binding, purpose, userId, expiresAt: deps.clock.now() + deps.ttlMs });
      return challenge;
    },

    /** Spends the challenge whatever happens next; reports whether it was usable. */
    async spend(challenge: string, binding: string, purpose: CeremonyPurpose): Promise<SpentChallenge> {
      const record = await deps.store.consume(challenge, binding, purpose);
      if (!record) return { ok: false, reason: 'unknown_challenge' };
      if (record.expiresAt <= deps.clock.now()) return { ok: false, reason: 'expired_challenge' };
      return { ok: true, record };
    },
  };
}

export type ChallengeService = ReturnType<typeof createChallengeService>;
