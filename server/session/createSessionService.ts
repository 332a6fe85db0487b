// Session use cases: what a password sign-in leads to, and what a session shows.
// The HTTP layer persists the SessionData these return; nothing here touches cookies.
import type { AccountService, PublicUser } from '../accounts/createAccountService.js';
import { publicUser } from '../accounts/createAccountService.js';
import type { Clock } from '../clock.js';
import { KeywardError } from '../errors.js';
import type { FactorDirectory } from './factorDirectory.js';
import type { Factor, SessionData, SessionStatus, StatePolicy, Aal } from './sessionState.js';
import { afterPassword, readSession } from './sessionState.js';

export interface SessionServiceDeps {
  accounts: AccountService;
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
}

export function createSessionService(deps: SessionServiceDeps) {
  const { accounts, factors, clock, policy } = deps;

  return {
    /** Throws invalid_credentials (one answer for unknown user and wrong password). */
    async signInWithPassword(input: { username: string; password: string }) {
      const user = await accounts.checkPassword(input);
      if (!user) throw new KeywardError('invalid_credentials');
      const userFactors = await factors.listFactors(user.id);
      const data = afterPassword(user.id, userFactors, clock.now(), policy);
      return { user, factors: userFactors, data };
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
      };
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
