// Who may create their own account: SIGNUP=closed (nobody: administrators add people),
// invite (only with an invitation), open (anyone, optionally only with an address in
// SIGNUP_EMAIL_DOMAINS). An invitation works in every mode except closed.
import type { AuditLog, RequestOrigin } from '../audit/createAuditLog.js';
import type { AccountService } from '../accounts/createAccountService.js';
import type { UserRecord } from '../storage/port.js';
import { KeywardError } from '../errors.js';
import type { InvitationService } from './createInvitationService.js';

export interface SignupServiceDeps {
  mode: 'closed' | 'invite' | 'open';
  emailDomains: string[];
  accounts: Pick<AccountService, 'register' | 'assertAddressFree'>;
  invitations: InvitationService;
  audit: AuditLog;
}

export interface SignupInput {
  username: string;
  password: string;
  displayName?: string | undefined;
  email?: string | undefined;
  invitation?: string | undefined;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export function createSignupService(deps: SignupServiceDeps) {
  async function withInvitation(input: SignupInput, token: string, origin: RequestOrigin): Promise<UserRecord> {
    // Checked before the invitation is used, so giving the wrong address does not spend it.
    const found = await deps.invitations.findInvitation(token);
    const email = input.email?.toLowerCase();
    if (found.email && found.email !== email) {
      throw new KeywardError('forbidden', 'This invitation was issued for another e-mail address: give the address it was sent to.');
    }
    // An address another account holds (given since the invitation was made): refused before
    // the invitation is used. The unique index decides between simultaneous redemptions.
    await deps.accounts.assertAddressFree(found.email ?? email);
    const inv = await deps.invitations.consumeInvitation(token);
    let user: UserRecord;
    try {
      user = await deps.accounts.register({ ...input, email: inv.email ?? email ?? null, groups: inv.groups });
    } catch (err) {
      await deps.invitations.restoreInvitation(inv);
      throw err;
    }
    await deps.audit.record('invitation.redeemed', 'success', { ...origin, userId: user.id }, { username: user.username, invitedBy: inv.createdBy, email: inv.email });
    return user;
  }

  return {
    mode: deps.mode,

    async signUp(input: SignupInput, origin: RequestOrigin): Promise<UserRecord> {
      if (deps.mode === 'closed') {
        throw new KeywardError('forbidden', 'Sign-up is closed: an administrator creates accounts here. Ask one for an account.');
      }
      if (input.invitation) return withInvitation(input, input.invitation, origin);
      if (deps.mode === 'invite') throw new KeywardError('forbidden', 'Sign-up needs an invitation: open the invitation link you were sent.');
      if (deps.emailDomains.length && !(input.email && deps.emailDomains.includes(domainOf(input.email)))) {
        throw new KeywardError('forbidden', `Sign-up needs an e-mail address at ${deps.emailDomains.join(', ')}.`);
      }
      return deps.accounts.register({ ...input, email: input.email?.toLowerCase() ?? null });
    },
  };
}

export type SignupService = ReturnType<typeof createSignupService>;
