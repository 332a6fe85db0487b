// Recovery codes: a set of ten, issued with the first second factor and on request,
// each usable once, in any order. Only the current set counts.
import type { Clock, Random } from '../clock.js';
import { newId } from '../clock.js';
import type { RecoveryCodeStore, RecoverySetRecord, UserRecord, UserStore } from '../storage/port.js';
import type { FactorProvider } from '../session/factorDirectory.js';
import type { FactorAddedListener } from '../session/enrollment.js';
import { createRecoveryCodeHasher, type RecoveryCodeHasher } from './createRecoveryCodeHasher.js';
import { recoveryCodeFormat } from './recoveryCodeFormat.js';

export const RECOVERY_CODES_PER_SET = 10;

export interface RecoveryServiceDeps {
  store: RecoveryCodeStore;
  users: UserStore;
  clock: Clock;
  random: Random;
  /** Defaults to scrypt at N=2^14. */
  hasher?: RecoveryCodeHasher;
}

export type RecoveryUseOutcome =
  | { ok: true; user: UserRecord; remaining: number }
  | { ok: false; reason: 'no_codes' | 'wrong_code' | 'set_replaced' };

export function createRecoveryService(deps: RecoveryServiceDeps) {
  const { store, clock, random } = deps;
  const hasher = deps.hasher ?? createRecoveryCodeHasher();

  /** A new set: the codes to show once, and what gets stored. */
  async function newSet(userId: string) {
    const codes = new Set<string>();
    while (codes.size < RECOVERY_CODES_PER_SET) codes.add(recoveryCodeFormat.generate(random));
    const set: RecoverySetRecord = { userId, setId: newId(random), salt: random.bytes(16).toString('base64url'), createdAt: clock.now() };
    const hashes = await Promise.all([...codes].map((c) => hasher.hash(c, set.salt)));
    return { set, hashes, shown: [...codes].map(recoveryCodeFormat.display) };
  }

  /** The first set, unless the user has one already (then null); two racing callers get one set. */
  async function issueIfAbsent(userId: string): Promise<string[] | null> {
    if (await store.findSet(userId)) return null;
    const { set, hashes, shown } = await newSet(userId);
    return (await store.createSetIfAbsent(set, hashes)) ? shown : null;
  }

  async function remaining(userId: string): Promise<number> {
    const set = await store.findSet(userId);
    return set ? store.countCodes(userId, set.setId) : 0;
  }

  return {
    remaining,

    issueIfAbsent,

    /**
     * Recovery codes come with the first second factor (a key or an authenticator app):
     * whenever a factor is added and the user has no set yet, the reply carries one.
     */
    onFactorAdded: (async (e) => {
      const codes = await issueIfAbsent(e.userId);
      return codes ? { recoveryCodes: codes } : {};
    }) satisfies FactorAddedListener,

    /** A new set; the previous one stops working. */
    async regenerate(userId: string): Promise<string[]> {
      const { set, hashes, shown } = await newSet(userId);
      await store.replaceSet(set, hashes);
      return shown;
    },

    /** `canonicalCode` comes from recoveryCodeFormat.normalize. */
    async use(user: UserRecord | null, canonicalCode: string): Promise<RecoveryUseOutcome> {
      const userId = user?.id ?? '';
      const set = user ? await store.findSet(userId) : null;
      if (!user || !set) return { ok: false, reason: 'no_codes' };
      const hash = await hasher.hash(canonicalCode, set.salt);
      if (!(await store.useCode(userId, set.setId, hash))) return { ok: false, reason: 'wrong_code' };
      // A new set may have replaced this one between reading it and using the code; the
      // set only ever changes to a fresh id, so reading it again after the use settles it.
      if ((await store.findSet(userId))?.setId !== set.setId) return { ok: false, reason: 'set_replaced' };
      return { ok: true, user, remaining: await store.countCodes(userId, set.setId) };
    },

    provider: { factor: 'recovery_code', hasFactor: async (userId) => (await remaining(userId)) > 0 } satisfies FactorProvider,
  };
}

export type RecoveryService = ReturnType<typeof createRecoveryService>;
