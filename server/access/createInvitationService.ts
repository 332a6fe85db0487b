// Administrators let people in: invitations (anyone with the link signs up once) and
// accounts added directly, with an enrolment link where the person sets their password.
import type { Clock, Random } from '../clock.js';
import type { AuditLog, RequestOrigin } from '../audit/createAuditLog.js';
import type { InvitationKind, InvitationRecord, InvitationStore, UserRecord, UserStore } from '../storage/port.js';
import type { AccountService } from '../accounts/createAccountService.js';
import { NO_PASSWORD, UNUSABLE_PASSWORD } from '../accounts/createAccountService.js';
import type { PasswordHasher } from '../accounts/passwordHasher.js';
import { KeywardError } from '../errors.js';
import { invisibleCodePoints } from '../accounts/invisibleCharacters.js';
import { hashLinkToken, newLinkToken } from './linkTokens.js';

export interface InvitationServiceDeps {
  invitations: InvitationStore;
  users: Pick<UserStore, 'findById' | 'updatePasswordHash'>;
  accounts: Pick<AccountService, 'register' | 'assertAddressFree'>;
  hasher: Pick<PasswordHasher, 'hash'>;
  audit: AuditLog;
  clock: Clock;
  random: Random;
  /** Keyward's own address: links point at its pages. */
  origin: string;
  defaultTtlSeconds: number;
  /** false with SIGNUP=closed: no invitation could be redeemed, so none is issued. */
  invitationsAccepted: boolean;
}

/** Who did it: an administrator's request, or the CLI (userId null, no request). */
export interface Issuer extends RequestOrigin {
  userId: string | null;
}

export const CLI_ISSUER: Issuer = { userId: null, ip: null, userAgent: null, requestId: null };

const LINK_INVALID = 'This link is not valid: it was used already, has expired, or was mistyped. Ask for a new one.';

/**
 * An account added before invisible characters were refused keeps its name (nothing is
 * renamed behind anyone's back) but is not enrolled under it: a name that renders like
 * another one would reach apps as that other person's name.
 */
function refuseInvisibleName(user: UserRecord): UserRecord {
  const found = invisibleCodePoints(user.username);
  if (!found.length) return user;
  const message = `must not contain invisible characters (found ${found.join(', ')}): ask an administrator to add you again under a visible name`;
  throw new KeywardError('invalid_request', `username: ${message}`, { fields: [{ path: 'username', message }] });
}

export function createInvitationService(deps: InvitationServiceDeps) {
  const { invitations, clock, audit } = deps;

  async function issue(kind: InvitationKind, by: Issuer, fields: Pick<InvitationRecord, 'email' | 'groups' | 'userId'>, ttlSeconds?: number) {
    const { token, hash } = newLinkToken(deps.random);
    const now = clock.now();
    const expiresAt = now + (ttlSeconds ?? deps.defaultTtlSeconds) * 1000;
    await invitations.create({ tokenHash: hash, kind, ...fields, createdBy: by.userId, createdAt: now, expiresAt });
    const page = kind === 'invitation' ? '/signup?invitation=' : '/enrol?token=';
    return { url: `${deps.origin}${page}${encodeURIComponent(token)}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Who an enrolment link is for, without using it. */
  async function enrolmentFor(token: string): Promise<UserRecord> {
    const link = await invitations.find(hashLinkToken(token), 'enrolment', clock.now());
    const user = link?.userId ? await deps.users.findById(link.userId) : null;
    if (!user) throw new KeywardError('forbidden', LINK_INVALID);
    return refuseInvisibleName(user);
  }

  return {
    async invite(by: Issuer, input: { email?: string | undefined; groups?: string[] | undefined; expiresIn?: number | undefined }) {
      if (!deps.invitationsAccepted) throw new KeywardError('forbidden', 'SIGNUP=closed: invitations cannot be redeemed. Add the person (their enrolment link) or set SIGNUP=invite.');
      // Refused now rather than when redeemed: the person would get a link that cannot work.
      await deps.accounts.assertAddressFree(input.email);
      const link = await issue('invitation', by, { email: input.email?.toLowerCase() ?? null, groups: input.groups ?? [], userId: null }, input.expiresIn);
      await audit.record('invitation.created', 'success', by, { email: input.email ?? null, groups: input.groups ?? [], expiresAt: link.expiresAt });
      return link;
    },

    /** An account without a usable password, and the single-use link where its person sets one. */
    async addUser(by: Issuer, input: { username: string; displayName?: string | undefined; groups?: string[] | undefined; email?: string | undefined }) {
      const user = await deps.accounts.register({ username: input.username, password: null, displayName: input.displayName, groups: input.groups ?? [], email: input.email?.toLowerCase() ?? null });
      const link = await issue('enrolment', by, { email: null, groups: [], userId: user.id });
      await audit.record('user.added', 'success', { ...by, userId: user.id }, { actorId: by.userId, username: user.username, groups: user.groups, email: user.email });
      return { user, ...link };
    },

    /** A new enrolment link for an existing account (an administrator's reset made its password unusable). */
    enrolmentLink: (by: Issuer, userId: string) => issue('enrolment', by, { email: null, groups: [], userId }),

    /** Who an enrolment link is for (the page greets them), without using it. */
    enrolmentFor,

    /**
     * Uses the link once and sets the first password, or (null) makes the account passkey-only:
     * the caller registered the passkey and signs the person in.
     */
    async completeEnrolment(token: string, password: string | null, origin: RequestOrigin): Promise<UserRecord> {
      // Checked before the link is used, so the refusal does not spend it.
      await enrolmentFor(token);
      const passwordHash = password === null ? NO_PASSWORD : await deps.hasher.hash(password);
      const link = await invitations.consume(hashLinkToken(token), 'enrolment', clock.now());
      const user = link?.userId ? await deps.users.findById(link.userId) : null;
      // Conditional on the unusable marker: a link can set the first password, never replace one.
      if (!user || !(await deps.users.updatePasswordHash(user.id, UNUSABLE_PASSWORD, passwordHash))) {
        throw new KeywardError('forbidden', LINK_INVALID);
      }
      await audit.record('enrolment.completed', 'success', { ...origin, userId: user.id }, { username: user.username, ...(password === null && { passkeyOnly: true }) });
      return user;
    },

    /** The invitation, unused and unexpired, without using it. */
    async findInvitation(token: string): Promise<InvitationRecord> {
      const inv = await invitations.find(hashLinkToken(token), 'invitation', clock.now());
      if (!inv) throw new KeywardError('forbidden', LINK_INVALID);
      return inv;
    },

    /** ONE atomic use: exactly one of simultaneous redemptions gets the invitation. */
    async consumeInvitation(token: string): Promise<InvitationRecord> {
      const inv = await invitations.consume(hashLinkToken(token), 'invitation', clock.now());
      if (!inv) throw new KeywardError('forbidden', LINK_INVALID);
      return inv;
    },

    /** Puts back an invitation whose account could not be created (the username was taken). */
    restoreInvitation: (inv: InvitationRecord) => invitations.create(inv),
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
