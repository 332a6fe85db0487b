// Accounts whose way in is a passkey instead of a password (PASSWORDS=optional|off): made at
// sign-up (open or by invitation), at an administrator's enrolment link, or given a passkey in
// place of a forgotten password. The key must be discoverable and verify the user (PIN or
// biometric): it signs the person in on its own, at aal 2. The account is created only once
// its passkey verified, so a cancelled prompt leaves no account and spends no invitation.
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Random } from '../clock.js';
import { newId } from '../clock.js';
import type { RequestOrigin } from '../audit/createAuditLog.js';
import type { CredentialRecord, CredentialStore, UserRecord, UserStore } from '../storage/port.js';
import type { SignupInput, SignupService } from '../access/createSignupService.js';
import type { InvitationService } from '../access/createInvitationService.js';
import type { Registration, RegistrationOutcome } from '../webauthn/registration.js';
import { notifyFactorAdded, type FactorAddedListener } from '../session/enrollment.js';
import { KeywardError } from '../errors.js';
import { NO_PASSWORD, UNUSABLE_PASSWORD } from './createAccountService.js';
import { usernameProblem } from './usernames.js';

export type PasswordsSetting = 'optional' | 'required' | 'off';

export interface PasskeyAccountsDeps {
  passwords: PasswordsSetting;
  registration: Registration;
  signup: Pick<SignupService, 'precheck' | 'signUp'>;
  invitations: Pick<InvitationService, 'enrolmentFor' | 'completeEnrolment'>;
  users: Pick<UserStore, 'findById' | 'updatePasswordHash'>;
  credentials: Pick<CredentialStore, 'remove'>;
  factorAdded: FactorAddedListener[];
  random: Random;
}

/** What the caller signs in and answers: the account, its new passkey and the recovery codes, if any. */
export interface PasskeyAccount {
  user: UserRecord;
  credential: CredentialRecord;
  extra: Record<string, unknown>;
}

const PASSWORDS_REQUIRED = 'This server requires a password for every account: choose one.';

function refused(outcome: Extract<RegistrationOutcome, { ok: false }>): KeywardError {
  if (outcome.code === 'forbidden') return new KeywardError('forbidden', 'This key model is not allowed here.');
  if (outcome.code === 'already_registered') return new KeywardError('already_registered', 'This security key is already registered.');
  return new KeywardError('webauthn_verification_failed');
}

export function createPasskeyAccounts(deps: PasskeyAccountsDeps) {
  const { registration } = deps;
  const allowed = () => {
    if (deps.passwords === 'required') throw new KeywardError('forbidden', PASSWORDS_REQUIRED);
  };

  /** Verifies and stores the passkey, then runs `bind` (the account's side); a failing bind takes the passkey back. */
  async function register(user: Pick<UserRecord, 'id' | 'username' | 'displayName'>, binding: string, response: RegistrationResponseJSON, defaultName: string | undefined, first: boolean, origin: RequestOrigin, bind: () => Promise<UserRecord>): Promise<PasskeyAccount> {
    const outcome = await registration.verify(user, binding, response, undefined, defaultName, { passkey: true });
    if (!outcome.ok) throw refused(outcome);
    let bound: UserRecord;
    try {
      bound = await bind();
    } catch (err) {
      await deps.credentials.remove(user.id, outcome.credential.id);
      throw err;
    }
    const extra = await notifyFactorAdded(deps.factorAdded, { userId: bound.id, factor: 'webauthn', first, origin });
    return { user: bound, credential: outcome.credential, extra };
  }

  const provisional = (id: string, input: SignupInput) => ({ id, username: input.username, displayName: input.displayName?.trim() || input.username });

  return {
    /** Creation options for a new account's passkey, and the id the account will have. */
    async startSignUp(input: SignupInput, binding: string) {
      allowed();
      const problem = usernameProblem(input.username);
      if (problem) throw new KeywardError('invalid_request', `username: ${problem}`, { fields: [{ path: 'username', message: problem }] });
      await deps.signup.precheck(input);
      const id = newId(deps.random);
      return { id, options: await registration.options(provisional(id, input), binding, { passkey: true }) };
    },

    /** The passkey verified: the account is created under `id` (the passkey's user handle), passkey-only. */
    finishSignUp(input: SignupInput & { id: string }, binding: string, response: RegistrationResponseJSON, defaultName: string | undefined, origin: RequestOrigin) {
      allowed();
      return register(provisional(input.id, input), binding, response, defaultName, true, origin, () => deps.signup.signUp({ ...input, password: null }, origin));
    },

    async startEnrolment(token: string, binding: string) {
      allowed();
      return registration.options(await deps.invitations.enrolmentFor(token), binding, { passkey: true });
    },

    /** An administrator's enrolment link used with a passkey instead of a first password. */
    async finishEnrolment(token: string, binding: string, response: RegistrationResponseJSON, defaultName: string | undefined, origin: RequestOrigin) {
      allowed();
      const user = await deps.invitations.enrolmentFor(token);
      return register(user, binding, response, defaultName, true, origin, () => deps.invitations.completeEnrolment(token, null, origin));
    },

    async startReset(userId: string, binding: string) {
      allowed();
      const user = await deps.users.findById(userId);
      if (!user) throw new KeywardError('unauthenticated');
      return registration.options(user, binding, { passkey: true });
    },

    /**
     * A forgotten password replaced by a passkey (the reset's link and second factor were
     * proved): the forgotten password stops working, conditionally on the hash read.
     */
    async finishReset(userId: string, binding: string, response: RegistrationResponseJSON, defaultName: string | undefined, first: boolean, origin: RequestOrigin) {
      allowed();
      const user = await deps.users.findById(userId);
      // An administrator's reset (unusable password) is completed by its own enrolment link.
      if (!user || user.passwordHash === UNUSABLE_PASSWORD) throw new KeywardError('forbidden', 'This account was reset by an administrator: use the enrolment link they gave you.');
      return register(user, binding, response, defaultName, first, origin, async () => {
        if (user.passwordHash !== NO_PASSWORD && !(await deps.users.updatePasswordHash(user.id, user.passwordHash, NO_PASSWORD))) {
          throw new KeywardError('forbidden', 'The account changed meanwhile: ask for a new link.');
        }
        return user;
      });
    },
  };
}

export type PasskeyAccounts = ReturnType<typeof createPasskeyAccounts>;
