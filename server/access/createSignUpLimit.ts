// The per-address sign-up budget is for anonymous sign-ups. A valid invitation is an
// administrator's say-so: it neither spends the address's budget nor is refused by it, so a
// shared address (an office, a school behind one NAT) cannot lock out the people invited. It
// has a budget of its own of the same size, so its holder cannot ask about taken usernames
// faster than anyone else. A token that is not a valid invitation counts against the address.
import type { GuardedAttempts } from '../guard/createGuardedAttempts.js';
import type { InvitationService } from './createInvitationService.js';

export interface SignUpLimitDeps {
  attempts: Pick<GuardedAttempts, 'limitStart'>;
  invitations: Pick<InvitationService, 'findInvitation'>;
}

export function createSignUpLimit(deps: SignUpLimitDeps) {
  async function holdsInvitation(token: string | undefined): Promise<boolean> {
    if (!token) return false;
    // findInvitation refuses an unknown, used or expired link; signUp refuses it again with
    // its own message, after the budget below has counted it.
    return deps.invitations.findInvitation(token).then(() => true, () => false);
  }

  /** 429 when the address (or, for a valid invitation, that invitation) spent its budget. */
  return async function limitSignUp(ip: string, invitation: string | undefined): Promise<void> {
    if (invitation && (await holdsInvitation(invitation))) return deps.attempts.limitStart('signUp', ip, { invitation });
    await deps.attempts.limitStart('signUp', ip);
  };
}

export type SignUpLimit = ReturnType<typeof createSignUpLimit>;
