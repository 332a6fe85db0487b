// Session use cases: what a password sign-in leads to, and what a session shows.
// The HTTP layer persists the SessionData these return; nothing here touches cookies.
import type { AccountService, PublicUser } from '../accounts/createAccountService.js';
import { hasPassword, publicUser } from '../accounts/createAccountService.js';
import type { Clock } from '../clock.js';
import type { GuardedAttempts } from '../guard/createGuardedAttempts.js';
import type { Guesser } from '../guard/createAttemptGuard.js';
import type { NoticeStore, UserRecord } from '../storage/port.js';
import { normalizeUsername } from '../accounts/usernames.js';
import type { FactorDirectory } from './factorDirectory.js';
import type { PasswordCheck } from './createPasswordCheck.js';
import type { Factor, SessionData, SessionStatus, StatePolicy, Aal } from './sessionState.js';
import { afterPassword, readSession } from './sessionState.js';

export type PasswordSignIn =
  | { ok: true; user: UserRecord; factors: Factor[]; data: SessionData }
  | { ok: false; userId: string | null };

export interface SessionServiceDeps {
  attempts: GuardedAttempts;
  accounts: AccountService;
  /** Whose password it is: a local account's or a directory person's (createPasswordCheck.ts). */
  checkPassword: PasswordCheck;
  isAdmin: (u: UserRecord) => boolean;
  factors: FactorDirectory;
  clock: Clock;
  policy: StatePolicy;
  /** Unread notices say why a person who had second factors must enrol again. */
  notices: Pick<NoticeStore, 'listUnread'>;
}

/** Why a session must set up a second factor, when it is not a new account's first. */
export type EnrolReason = 'mfa_reset';

export interface SessionDescription {
  status: SessionStatus;
  user?: PublicUser;
  aal: Aal;
  factors: Factor[];
  /** Whether the account has a password (false: passkey-only). */
  password?: boolean;
  authenticatedAt?: string;
  stepUpAt?: string;
  /** Present (true) for administrators, so the client can offer the admin page. */
  admin?: true;
  /** With enroll_required: an administrator removed the person's second factors (unread mfa.reset notice). */
  enrolReason?: EnrolReason;
}

export function createSessionService(deps: SessionServiceDeps) {
  const { accounts, factors, clock, policy } = deps;
  // The notice stays unread until the person, signed in again, dismisses it on their account page.
  const wasReset = async (userId: string) => (await deps.notices.listUnread(userId, 50)).some((n) => n.type === 'mfa.reset');

  return {
    /**
     * The password step, under the brute-force limits (429 while backed off). A failure is
     * a value: the caller answers invalid_credentials whether or not the user exists, and
     * audits it (userId, when there is such a user, is for the audit trail only).
     */
    async signInWithPassword(input: { username: string; password: string; who: Guesser }): Promise<PasswordSignIn> {
      return deps.attempts.forAccount(normalizeUsername(input.username), input.who, async (): Promise<PasswordSignIn> => {
        const checked = await deps.checkPassword(input);
        if (!checked.user) return { ok: false, userId: checked.userId };
        const { user } = checked;
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
        password: hasPassword(user),
        ...(view.authenticatedAt !== undefined && { authenticatedAt: new Date(view.authenticatedAt).toISOString() }),
        ...(view.stepUpAt !== undefined && { stepUpAt: new Date(view.stepUpAt).toISOString() }),
        ...(view.status === 'authenticated' && deps.isAdmin(user) && { admin: true as const }),
        ...(view.status === 'enroll_required' && (await wasReset(user.id)) && { enrolReason: 'mfa_reset' as const }),
      };
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
