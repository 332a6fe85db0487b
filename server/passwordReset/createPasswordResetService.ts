// Forgotten passwords, as NIST SP 800-63B (rev. 4) asks of account recovery: never weaker than
// the sign-in it restores. A single-use link goes to the account's confirmed notice address
// only; opening it asks for a second factor the account holds; only then may a new password
// be set. The mailbox alone is never enough, and a request is answered the same way, after
// the same store work, whether or not the name belongs to an account.
import type { Logger } from 'pino';
import type { Clock, Random } from '../clock.js';
import type { AuditLog, RequestOrigin } from '../audit/createAuditLog.js';
import type { AttemptGuard } from '../guard/createAttemptGuard.js';
import type { InvitationStore, NoticeAddressStore, UserRecord, UserStore } from '../storage/port.js';
import type { PasswordHasher } from '../accounts/passwordHasher.js';
import type { FactorDirectory } from '../session/factorDirectory.js';
import type { Factor } from '../session/sessionState.js';
import type { Mailer } from '../notices/outboundChannels.js';
import { directoryPasswordRefusal, UNUSABLE_PASSWORD } from '../accounts/createAccountService.js';
import { normalizeUsername } from '../accounts/usernames.js';
import { hashLinkToken, newLinkToken } from '../access/linkTokens.js';
import { KeywardError } from '../errors.js';
import { resetMail } from './resetMail.js';

/** The same words for every request: they cannot tell whether the account exists. */
export const RESET_REQUESTED =
  'If this account has a confirmed address, a link is on its way. If the account has no confirmed address, ask your administrator.';

/** A second request within this time sends no second mail (the first link still works). */
export const RESET_MAIL_INTERVAL_MS = 60_000;

/** Looked up when nothing was found, so unknown names cost the same lookups (no account has this id). */
const NOBODY = '\u0000nobody';

const LINK_INVALID = 'This link is not valid: it was used already, has expired, or was mistyped. Ask for a new one.';
const ASK_ADMIN = 'This account has no second factor to confirm a reset with: ask your administrator.';

export interface PasswordResetServiceDeps {
  users: Pick<UserStore, 'findByUsername' | 'findById' | 'updatePasswordHash'>;
  /** Where directory people reset their password (LDAP_PASSWORD_HELP_URL). */
  passwordHelpUrl?: string | undefined;
  addresses: Pick<NoticeAddressStore, 'findConfirmed' | 'findConfirmedByAddress'>;
  links: InvitationStore;
  guard: Pick<AttemptGuard, 'limitResetRequest' | 'once'>;
  factors: FactorDirectory;
  hasher: Pick<PasswordHasher, 'hash'>;
  audit: AuditLog;
  /** null without SMTP_URL: nobody has a confirmed address then, and no link goes out. */
  mailer: Mailer | null;
  clock: Clock;
  random: Random;
  logger: Logger;
  productName: string;
  ttlSeconds: number;
  /** PASSWORDS=off: a reset ends with a new passkey, and the mail says so. */
  passwordsOff?: boolean;
  /** The page a link opens, e.g. https://sign-in.example/reset-password?token=… */
  resetUrl(token: string): string;
}

export function createPasswordResetService(deps: PasswordResetServiceDeps) {
  const { users, addresses, clock } = deps;
  const inFlight = new Set<Promise<void>>();

  function mail(user: UserRecord, to: string, token: string): void {
    const p = deps.mailer!
      .send(resetMail({ to, language: user.language ?? 'en', user, productName: deps.productName, url: deps.resetUrl(token), minutes: Math.round(deps.ttlSeconds / 60), newPasskey: deps.passwordsOff === true }))
      .catch((err: unknown) => deps.logger.error({ err, userId: user.id }, 'password-reset mail failed'))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  return {
    /**
     * Mails a link when `name` (username or confirmed address) is an account's with a confirmed
     * address and none went out in the last minute. Throws only 429 (the limits, counted per
     * address and per name as typed); otherwise the caller answers RESET_REQUESTED.
     */
    async request(name: string, origin: RequestOrigin): Promise<void> {
      const typed = name.normalize('NFKC').trim();
      await deps.guard.limitResetRequest(origin.ip ?? '', normalizeUsername(typed));
      const byName = await users.findByUsername(normalizeUsername(typed));
      const byAddress = await addresses.findConfirmedByAddress(typed);
      const userId = byName?.id ?? byAddress?.userId ?? null;
      // From here on the same calls whatever was found.
      const user = await users.findById(userId ?? NOBODY);
      const address = await addresses.findConfirmed(userId ?? NOBODY);
      const { token, hash } = newLinkToken(deps.random);
      const first = await deps.guard.once(`reset-mail:${userId ?? normalizeUsername(typed)}`, RESET_MAIL_INTERVAL_MS);
      // A directory person's password is the directory's to reset: no link (docs/directory.md).
      const to = user && !user.directoryId && address && first && deps.mailer ? address.address : null;
      const now = clock.now();
      // A link nobody receives is stored too (bound to nobody, so it opens nothing).
      await deps.links.create({ tokenHash: hash, kind: 'password_reset', email: to, groups: [], userId: to ? userId : null, createdBy: null, createdAt: now, expiresAt: now + deps.ttlSeconds * 1000 });
      const reason = !user ? 'unknown_account' : user.directoryId ? 'directory_account' : !deps.mailer ? 'no_mail_server' : !address ? 'no_confirmed_address' : !first ? 'sent_within_a_minute' : null;
      await deps.audit.record('password.reset_requested', to ? 'success' : 'info', { ...origin, userId: user?.id ?? null }, {
        sent: to !== null,
        ...(reason && { reason }),
        ...(!user && { name: typed.slice(0, 64) }),
      });
      if (to && user) mail(user, to, token);
    },

    /**
     * Uses the link (one atomic delete: of simultaneous openings exactly one gets it) and says
     * whose it is and which second factors can confirm the reset.
     */
    async open(token: string): Promise<{ user: UserRecord; factors: Factor[] }> {
      const link = await deps.links.consume(hashLinkToken(token), 'password_reset', clock.now());
      const user = link?.userId ? await users.findById(link.userId) : null;
      if (!user) throw new KeywardError('forbidden', LINK_INVALID);
      const factors = await deps.factors.listFactors(user.id);
      if (factors.length === 0) throw new KeywardError('forbidden', ASK_ADMIN);
      return { user, factors };
    },

    /** The new password, once the link and a second factor were both proved (the caller checks the session). */
    async complete(userId: string, password: string): Promise<UserRecord> {
      const user = await users.findById(userId);
      // An administrator's reset (unusable password) is completed by its own enrolment link.
      if (user?.directoryId) throw directoryPasswordRefusal(deps.passwordHelpUrl);
      if (!user || user.passwordHash === UNUSABLE_PASSWORD) throw new KeywardError('forbidden', ASK_ADMIN);
      const next = await deps.hasher.hash(password.normalize('NFC'));
      // Conditional on the hash just read: a concurrent change (or an administrator's reset) wins.
      if (!(await users.updatePasswordHash(user.id, user.passwordHash, next))) throw new KeywardError('forbidden', 'The account changed meanwhile: ask for a new link.');
      // A link is good for one password generation: the ones mailed before this reset (a second
      // request, a mail read late or by someone else) open nothing now.
      await deps.links.removeForUser(user.id, 'password_reset');
      return user;
    },

    /** A new password generation by another way (a passkey in place of the password, a change, a removal): older links open nothing. */
    cancelLinks: (userId: string) => deps.links.removeForUser(userId, 'password_reset'),

    /** Resolves once every reset mail started so far has been handed over (shutdown, tests). */
    async idle(): Promise<void> {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
