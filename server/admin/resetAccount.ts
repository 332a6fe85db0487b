// An administrator's reset, from the admin page or `keyward users reset`: every second factor,
// the password and every session go, and a single-use enrolment link (handed over by the
// administrator, who knows who they give it to) is the only way back in. Until it is used
// the account signs in to nothing: the old password alone must not enrol a new factor, or
// whoever learnt it would get the account with the factors the reset was meant to replace.
import type { Storage, UserRecord } from '../storage/port.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { Issuer } from '../access/createInvitationService.js';
import { UNUSABLE_PASSWORD } from '../accounts/createAccountService.js';
import { KeywardError } from '../errors.js';

export interface ResetAccountDeps {
  storage: Pick<Storage, 'users' | 'credentials' | 'totp' | 'recovery' | 'sessions'>;
  audit: AuditLog;
  /** The enrolment link of an existing account (createInvitationService's enrolmentLink). */
  enrolmentLink: (by: Issuer, userId: string) => Promise<{ url: string; expiresAt: string }>;
}

export interface AccountReset {
  removed: { keys: number; authenticators: number; recoveryRecords: number; sessions: number };
  url: string;
  expiresAt: string;
}

/** Makes the password unusable, conditionally on the hash read, so a concurrent change cannot survive it. */
async function dropPassword(users: ResetAccountDeps['storage']['users'], user: UserRecord): Promise<void> {
  let current: UserRecord | null = user;
  for (let tries = 0; current && tries < 5; tries++) {
    if (current.passwordHash === UNUSABLE_PASSWORD || (await users.updatePasswordHash(current.id, current.passwordHash, UNUSABLE_PASSWORD))) return;
    current = await users.findById(current.id);
  }
  if (current) throw new KeywardError('unavailable', 'The password kept changing during the reset: try again.');
}

export async function resetAccount(deps: ResetAccountDeps, by: Issuer, user: UserRecord): Promise<AccountReset> {
  const { storage } = deps;
  // The password first, so no sign-in can start with it; sessions last, so none survives that
  // still counts the old factors.
  await dropPassword(storage.users, user);
  const removed = {
    keys: await storage.credentials.removeAllForUser(user.id),
    authenticators: await storage.totp.removeAllForUser(user.id),
    recoveryRecords: await storage.recovery.removeAllForUser(user.id),
    sessions: await storage.sessions.destroyAllForUser(user.id),
  };
  const link = await deps.enrolmentLink(by, user.id);
  await deps.audit.record('admin.reset_mfa', 'success', { ...by, userId: user.id }, { actorId: by.userId, username: user.username, ...removed, passwordRemoved: true, linkExpiresAt: link.expiresAt });
  return { removed, ...link };
}
