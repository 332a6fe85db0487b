// Runs one guess (a password, a code, a key assertion) under the brute-force limits:
// reserve (429 when any bucket is spent or backed off), THEN evaluate, then settle: a
// failure may start back-offs, a success gives the attempt back. The order is the point:
// a check made before the evaluation and a count made after it let every guess in flight
// through (measured: 2,997 of 3,000 simultaneous TOTP codes evaluated).
import type { UserRecord, UserStore } from '../storage/port.js';
import type { AttemptGuard, FactorKind, Guesser } from './createAttemptGuard.js';

export function createGuardedAttempts(deps: { guard: AttemptGuard; users: Pick<UserStore, 'findById'> }) {
  const { guard } = deps;

  async function run<T extends { ok: boolean }>(factor: FactorKind, account: string | null, who: Guesser, attempt: () => Promise<T>): Promise<T> {
    const held = await guard.reserve(factor, account, who);
    // An evaluation that throws (database down) keeps its attempt: counted, never given back.
    const outcome = await attempt();
    if (outcome.ok) await guard.succeed(held);
    else await guard.fail(held);
    return outcome;
  }

  return {
    /** The password. `account` is the normalized username as typed (it may not exist: same counting). */
    forAccount: <T extends { ok: boolean }>(account: string, who: Guesser, attempt: () => Promise<T>) => run('password', account, who, attempt),
    /**
     * A second factor for a known user (null: nobody known yet, e.g. a passkey sign-in). The
     * user read here to name the budget is handed to the attempt, so it is read once.
     */
    async forUser<T extends { ok: boolean }>(userId: string | null, who: Guesser, attempt: (user: UserRecord | null) => Promise<T>): Promise<T> {
      const user = userId ? await deps.users.findById(userId) : null;
      return run('second', user?.usernameNormalized ?? null, who, () => attempt(user));
    },
    /** Sign-ups and anonymous ceremony starts: per-IP budgets (429 when spent). */
    limitStart: guard.limitStart,
  };
}

export type GuardedAttempts = ReturnType<typeof createGuardedAttempts>;
