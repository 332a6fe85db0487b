// Accounts made with a passkey instead of a password: sign-up (open or by invitation) and an
// administrator's enrolment link. Each is two requests, as any WebAuthn registration: the
// options (nothing is created yet), then the key's answer, which creates or enrols the account
// and signs it in at aal 2 (the passkey verified the user).
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Random } from '../../clock.js';
import { publicUser } from '../../accounts/createAccountService.js';
import type { PasskeyAccount, PasskeyAccounts } from '../../accounts/createPasskeyAccounts.js';
import type { AuditLog } from '../../audit/createAuditLog.js';
import type { GuardedAttempts } from '../../guard/createGuardedAttempts.js';
import type { SignUpLimit } from '../../access/createSignUpLimit.js';
import { KeywardError } from '../../errors.js';
import { provesHardwareKey } from '../../webauthn/assuranceLevel.js';
import { keyMethod } from '../../webauthn/keyMethod.js';
import { credentialView } from '../../webauthn/credentialView.js';
import type { KeyModel } from '../../mds/createMdsService.js';
import { registrationResponse } from '../../webauthn/responseSchemas.js';
import { displayName, email, linkToken, username } from '../schemas.js';
import { ceremonyBinding } from '../ceremonyBinding.js';
import { requestOrigin, type SessionAccess } from '../sessionAccess.js';
import { validate } from '../validate.js';

export interface PasskeyAccountRoutesDeps {
  passkeys: PasskeyAccounts;
  access: SessionAccess;
  audit: AuditLog;
  attempts: Pick<GuardedAttempts, 'limitStart'>;
  signUpLimit: SignUpLimit;
  random: Random;
  keyModel: (aaguid: string) => Promise<KeyModel>;
}

const defaultName = z.string().trim().min(1).max(64).regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must not contain control characters');

/** Request bodies, as validated here and described in /api/openapi.json. */
export const passkeyAccountBodies = (() => {
  const account = { username, displayName: displayName.optional(), email: email.optional(), invitation: linkToken.optional() };
  return {
    signUpOptions: z.strictObject(account),
    signUp: z.strictObject({ ...account, response: registrationResponse, defaultName: defaultName.optional() }),
    enrolmentOptions: z.strictObject({ token: linkToken }),
    enrolment: z.strictObject({ token: linkToken, response: registrationResponse, defaultName: defaultName.optional() }),
  };
})();

export function passkeyAccountRoutes(deps: PasskeyAccountRoutesDeps): Router {
  const { passkeys, access, audit } = deps;
  const router = new Router();

  /** Signs the new account in with its passkey and answers like a key registration (with the recovery codes). */
  async function signedIn(ctx: Context, made: PasskeyAccount, status: number) {
    await access.completePasskey(ctx, made.user, provesHardwareKey(made.credential) ? 3 : 2, keyMethod(made.credential));
    const who = { userId: made.user.id, ...requestOrigin(ctx) };
    await audit.record('factor.added', 'success', who, { factor: 'webauthn', credentialId: made.credential.id, name: made.credential.name, passkeyOnly: true });
    ctx.status = status;
    ctx.body = { user: publicUser(made.user), credential: credentialView(made.credential, await deps.keyModel(made.credential.aaguid)), ...made.extra };
  }

  router.post('/accounts/passkey/options', async (ctx) => {
    const body = validate(passkeyAccountBodies.signUpOptions, ctx.request.body);
    await deps.signUpLimit(ctx.ip, body.invitation);
    const { id, options } = await passkeys.startSignUp({ ...body, password: null }, ceremonyBinding(ctx, deps.random));
    // The id the account will get: the passkey names it (user handle), so the answer must match it.
    ctx.session!.update({ passkeySignUp: id });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = options;
  });

  router.post('/accounts/passkey', async (ctx) => {
    const { response, defaultName: name, ...account } = validate(passkeyAccountBodies.signUp, ctx.request.body);
    const id = ctx.session?.data.passkeySignUp;
    if (!id) throw new KeywardError('webauthn_verification_failed', 'Start again: ask for the passkey options first.');
    const made = await passkeys.finishSignUp({ ...account, password: null, id }, ceremonyBinding(ctx, deps.random), response as RegistrationResponseJSON, name, requestOrigin(ctx));
    await audit.record('account.created', 'success', { userId: made.user.id, ...requestOrigin(ctx) }, { username: made.user.username, passkeyOnly: true });
    await signedIn(ctx, made, 201);
  });

  router.post('/enrolment/passkey/options', async (ctx) => {
    const { token } = validate(passkeyAccountBodies.enrolmentOptions, ctx.request.body);
    await deps.attempts.limitStart('ceremony', ctx.ip);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await passkeys.startEnrolment(token, ceremonyBinding(ctx, deps.random));
  });

  router.post('/enrolment/passkey', async (ctx) => {
    const { token, response, defaultName: name } = validate(passkeyAccountBodies.enrolment, ctx.request.body);
    const made = await passkeys.finishEnrolment(token, ceremonyBinding(ctx, deps.random), response as RegistrationResponseJSON, name, requestOrigin(ctx));
    await signedIn(ctx, made, 200);
  });

  return router;
}
