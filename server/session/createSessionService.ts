// Session use cases: what a password sign-in leads to, and what a session shows.
// The HTTP layer persists the SessionData these return; nothing here touches cookies.
import type { AccountService, PublicUser } from '../accounts/createAccountService.js';
import { publicUser } from '../accounts/createAccountService.js';
import type { Clock } from '../clock.js';
import type { GuardedAttempts } from '../guard/createGuardedAttempts.js';
import type { Guesser } from '../guard/createAttemptGuard.js';
import type { UserRecord } from '../storage/port.js';
import { normalizeUsername } from '../accounts/usernames.js';
import type { FactorDirectory } from './factorDirectory.js';
import type { Factor, SessionData, SessionStatus, StatePolicy, Aal } from './sessionState.js';
import { afterPassword, readSession } from './sessionState.js';

export type PasswordSignIn =
  | { ok: true; user: UserRecord; factors: Factor[]; data: SessionData }
  | { ok: false; userId: string | null };

export interface SessionServiceDeps {
  attempts: GuardedAttempts;
  accounts: AccountService;
  isAdmin: (u: UserRecord) => boolean;
  factors: FactorDirectory;
  clock: Clock;
  policy: StatePolicy;
}

export interface SessionDescription {
  status: SessionStatus;
  user?: PublicUser;
  aal: Aal;
  factors: Factor[];
  authenticatedAt?: string;
  stepUpAt?: string;
  /** Present (true) for administrators, so the client can offer the admin page. */
  admin?: true;
}

export function createSessionService(deps: SessionServiceDeps) {
  const { accounts, factors, clock, policy } = deps;

  return {
    /**
     * The password step, under the brute-force limits (429 while backed off). A failure is
     * a value: the caller answers invalid_credentials whether or not the user exists, and
     * audits it (userId, when there is such a user, is for the audit trail only).
     */
    async signInWithPassword(input: { username: string; password: string; who: Guesser }): Promise<PasswordSignIn> {
      return deps.attempts.forAccount(normalizeUsername(input.username), input.who, async (): Promise<PasswordSignIn> => {
        const user = await accounts.checkPassword(input);
        if (!user) return { ok: false, userId: (await accounts.findByUsername(input.username))?.id ?? null };
        const userFactors = await factors.listFactors(user.id);
        return { ok: true, user, factors: userFactors, data: afterPassword(user.id, userFactors, clock.now(), policy) };
      });
    },

    /** The session state right after an account was created (no factors yet). */
    afterSignUp(userId: string): SessionData {
      return afterPassword(userId, [], clock.now(), policy);
    },

    async describe(data: SessionData | null | undefined): Promise<SessionDescription> {
      const view = readSession(data, clock.now(), policy);
      const user = view.userId ? await accounts.findById(view.userId) : null;
      // A user removed while signed in reads as anonymous.
      if (!user) return { status: 'anonymous', aal: 0, factors: [] };
      return {
        status: view.status,
        user: publicUser(user),
        aal: view.aal,
        factors: await factors.listFactors(user.id),
        ...(view.authenticatedAt !== undefined && { authenticatedAt: new Date(view.authenticatedAt).toISOString() }),
        ...(view.stepUpAt !== undefined && { stepUpAt: new Date(view.stepUpAt).toISOString() }),
        ...(view.status === 'authenticated' && deps.isAdmin(user) && { admin: true as const }),
      };
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
