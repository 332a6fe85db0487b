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
  accounts: Pick<AccountService, 'register' | 'assertAddressFree' | 'findByUsername'>;
  invitations: InvitationService;
  audit: AuditLog;
}

export interface SignupInput {
  username: string;
  /** null: a passkey-only account (`id` is the one its passkey was registered for). */
  password: string | null;
  id?: string;
  displayName?: string | undefined;
  email?: string | undefined;
  invitation?: string | undefined;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export function createSignupService(deps: SignupServiceDeps) {
  /** The invitation's checks, without using it: the wrong address does not spend it. */
  async function checkInvitation(input: SignupInput, token: string): Promise<void> {
    const found = await deps.invitations.findInvitation(token);
    const email = input.email?.toLowerCase();
    if (found.email && found.email !== email) {
      throw new KeywardError('forbidden', 'This invitation was issued for another e-mail address: give the address it was sent to.');
    }
    // An address another account holds (given since the invitation was made): refused before
    // the invitation is used. The unique index decides between simultaneous redemptions.
    await deps.accounts.assertAddressFree(found.email ?? email);
  }

  /** What the mode asks of a sign-up, before anything is used or created. */
  function checkMode(input: SignupInput): void {
    if (deps.mode === 'closed') {
      throw new KeywardError('forbidden', 'Sign-up is closed: an administrator creates accounts here. Ask one for an account.');
    }
    if (input.invitation) return;
    if (deps.mode === 'invite') throw new KeywardError('forbidden', 'Sign-up needs an invitation: open the invitation link you were sent.');
    if (deps.emailDomains.length && !(input.email && deps.emailDomains.includes(domainOf(input.email)))) {
      throw new KeywardError('forbidden', `Sign-up needs an e-mail address at ${deps.emailDomains.join(', ')}.`);
    }
  }

  async function withInvitation(input: SignupInput, token: string, origin: RequestOrigin): Promise<UserRecord> {
    await checkInvitation(input, token);
    const email = input.email?.toLowerCase();
    const inv = await deps.invitations.consumeInvitation(token);
    let user: UserRecord;
    try {
      user = await deps.accounts.register({ ...input, passkeyOnly: input.password === null, email: inv.email ?? email ?? null, groups: inv.groups });
    } catch (err) {
      await deps.invitations.restoreInvitation(inv);
      throw err;
    }
    await deps.audit.record('invitation.redeemed', 'success', { ...origin, userId: user.id }, { username: user.username, invitedBy: inv.createdBy, email: inv.email });
    return user;
  }

  return {
    mode: deps.mode,

    /**
     * Everything signUp would refuse that can be told before a passkey is made: the mode, the
     * invitation, the address, the name. signUp checks again (the unique indexes decide races).
     */
    async precheck(input: SignupInput): Promise<void> {
      checkMode(input);
      if (input.invitation) await checkInvitation(input, input.invitation);
      else await deps.accounts.assertAddressFree(input.email?.toLowerCase());
      if (await deps.accounts.findByUsername(input.username)) throw new KeywardError('username_taken');
    },

    async signUp(input: SignupInput, origin: RequestOrigin): Promise<UserRecord> {
      checkMode(input);
      if (input.invitation) return withInvitation(input, input.invitation, origin);
      return deps.accounts.register({ ...input, passkeyOnly: input.password === null, email: input.email?.toLowerCase() ?? null });
    },
  };
}

export type SignupService = ReturnType<typeof createSignupService>;
