// Runs one guess (a password, a code, a key assertion) under the brute-force limits:
// refused with 429 while any bucket is backed off, then counted as a failure or, on
// success, clearing the tight account+IP budget.
import type { UserRecord, UserStore } from '../storage/port.js';
import type { AttemptGuard } from './createAttemptGuard.js';

export function createGuardedAttempts(deps: { guard: AttemptGuard; users: Pick<UserStore, 'findById'> }) {
  const { guard } = deps;

  async function run<T extends { ok: boolean }>(account: string | null, ip: string, attempt: () => Promise<T>): Promise<T> {
    await guard.check(account, ip);
    const outcome = await attempt();
    if (outcome.ok) {
      if (account) await guard.succeed(account, ip);
    } else {
      await guard.fail(account, ip);
    }
    return outcome;
  }

  return {
    /** `account` is the normalized username as typed (it may not exist: same counting). */
    forAccount: run,
    /**
     * A second factor for a known user (null: nobody known yet, e.g. a passkey sign-in). The
     * user read here to name the budget is handed to the attempt, so it is read once.
     */
    async forUser<T extends { ok: boolean }>(userId: string | null, ip: string, attempt: (user: UserRecord | null) => Promise<T>): Promise<T> {
      const user = userId ? await deps.users.findById(userId) : null;
      return run(user?.usernameNormalized ?? null, ip, () => attempt(user));
    },
  };
}

export type GuardedAttempts = ReturnType<typeof createGuardedAttempts>;
