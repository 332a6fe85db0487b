import Router from '@koa/router';
import { z } from 'zod';
import { trimmedText } from '../schemas.js';
import type { RegistrationResponseJSON, AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Random } from '../../clock.js';
import { KeywardError } from '../../errors.js';
import { hasPassword, publicUser } from '../../accounts/createAccountService.js';
import { keyMethod } from '../../webauthn/keyMethod.js';
import type { UserStore, CredentialStore } from '../../storage/port.js';
import type { AuditLog } from '../../audit/createAuditLog.js';
import type { GuardedAttempts } from '../../guard/createGuardedAttempts.js';
import { notifyFactorAdded, type FactorAddedListener } from '../../session/enrollment.js';
import type { Registration } from '../../webauthn/registration.js';
import type { Authentication } from '../../webauthn/authentication.js';
import { authenticationResponse, registrationResponse } from '../../webauthn/responseSchemas.js';
import { credentialView } from '../../webauthn/credentialView.js';
import type { KeyModel } from '../../mds/createMdsService.js';
import { provesHardwareKey } from '../../webauthn/assuranceLevel.js';
import type { SessionAccess } from '../sessionAccess.js';
import { requestOrigin } from '../sessionAccess.js';
import { ceremonyBinding } from '../ceremonyBinding.js';
import { validate } from '../validate.js';

export interface WebAuthnRoutesDeps {
  registration: Registration;
  authentication: Authentication;
  users: UserStore;
  credentials: CredentialStore;
  access: SessionAccess;
  audit: AuditLog;
  random: Random;
  factorAdded: FactorAddedListener[];
  attempts: GuardedAttempts;
  mfaRequired: boolean;
  /** A key model's name and icon, for settings (server/mds/createMdsService.ts). */
  keyModel: (aaguid: string) => Promise<KeyModel>;
}

const credentialName = trimmedText(64, { controls: false });

/** Request bodies, as validated here and described in /api/openapi.json. */
export const webauthnBodies = {
  registrationOptions: z.strictObject({ name: credentialName.optional() }),
  registrationVerify: z.strictObject({
    response: registrationResponse,
    name: credentialName.optional(),
    // The pages send the person's language's "Security key 2" / "Passkey 2" here: a model's
    // own name still comes first, and callers that send none get the server's English one.
    defaultName: credentialName.optional().meta({ description: 'Used when no name is given and the key model has no known name; without it: "Security key N" / "Passkey N".' }),
  }),
  authenticationOptions: z.strictObject({
    passkey: z.literal(true).optional().meta({ description: 'Signed in: ask for any passkey (usernameless, user verification) instead of the account\'s keys; a step-up that proves a passkey (removing the password needs one).' }),
  }),
  authenticationVerify: z.strictObject({ response: authenticationResponse }),
  rename: z.strictObject({ name: credentialName }),
};

export function webauthnRoutes(deps: WebAuthnRoutesDeps): Router {
  const { registration, authentication, users, credentials, access, audit } = deps;
  const router = new Router({ prefix: '/webauthn' });

  async function enrollingUser(ctx: Parameters<SessionAccess['view']>[0]) {
    const { userId, first } = await access.requireEnrollment(ctx);
    const user = await users.findById(userId);
    if (!user) throw new KeywardError('unauthenticated');
    return { user, first };
  }

  router.post('/registration/options', async (ctx) => {
    validate(webauthnBodies.registrationOptions, ctx.request.body);
    const { user } = await enrollingUser(ctx);
    ctx.body = await registration.options(user, ceremonyBinding(ctx, deps.random));
  });

  router.post('/registration/verify', async (ctx) => {
    const body = validate(webauthnBodies.registrationVerify, ctx.request.body);
    const { user, first } = await enrollingUser(ctx);
    const outcome = await registration.verify(user, ceremonyBinding(ctx, deps.random), body.response as RegistrationResponseJSON, body.name, body.defaultName);
    const who = { userId: user.id, ...requestOrigin(ctx) };
    if (!outcome.ok) {
      await audit.record('factor.added', 'failure', who, { factor: 'webauthn', reason: outcome.reason });
      if (outcome.code === 'forbidden') throw new KeywardError('forbidden', 'This key model is not allowed here.');
      if (outcome.code === 'already_registered') throw new KeywardError('already_registered', 'This security key is already registered.');
      throw new KeywardError('webauthn_verification_failed');
    }
    // Confirming the first factor proves both factors just now: the session reaches aal 2, or
    // aal 3 when the password was just given and attestation proved a hardware key (as a sign-in).
    const v = access.view(ctx);
    if (v.aal < 2) await access.completeSecondFactor(ctx, keyMethod(outcome.credential), { aal: v.amr.includes('pwd') && provesHardwareKey(outcome.credential) ? 3 : 2 });
    await audit.record('factor.added', 'success', who, { factor: 'webauthn', credentialId: outcome.credential.id, name: outcome.credential.name });
    const extra = await notifyFactorAdded(deps.factorAdded, { userId: user.id, factor: 'webauthn', first, origin: requestOrigin(ctx) });
    ctx.status = 201;
    ctx.body = { credential: credentialView(outcome.credential, await deps.keyModel(outcome.credential.aaguid)), ...extra };
  });

  router.post('/authentication/options', async (ctx) => {
    const body = validate(webauthnBodies.authenticationOptions, ctx.request.body);
    const v = access.view(ctx);
    // The pending (or signed-in, for step-up, or resetting a password) user's keys; nobody
    // pending, or a signed-in person proving a passkey: any passkey, user verification required.
    const passkeyStepUp = v.status === 'authenticated' && body.passkey === true;
    const userId = !passkeyStepUp && (v.status === 'mfa_required' || v.status === 'authenticated' || v.status === 'reset_required') ? v.userId : null;
    // Nobody pending: anyone can start one, and each start stores a challenge.
    if (!userId) await deps.attempts.limitStart('ceremony', ctx.ip);
    ctx.body = await authentication.options(userId, ceremonyBinding(ctx, deps.random));
  });

  router.post('/authentication/verify', async (ctx) => {
    const body = validate(webauthnBodies.authenticationVerify, ctx.request.body);
    // The pending (or signed-in) user's budget; a passkey sign-in names nobody yet: per IP.
    const pendingUser = access.view(ctx).userId;
    const outcome = await deps.attempts.forUser(pendingUser, access.guesser(ctx), (user) =>
      authentication.verify(ceremonyBinding(ctx, deps.random), body.response as AuthenticationResponseJSON, user),
    );
    const origin = requestOrigin(ctx);
    if (!outcome.ok) {
      if (outcome.counterRegressed) {
        await audit.record('webauthn.counter_regressed', 'failure', { userId: outcome.userId, ...origin }, { credentialId: outcome.credentialId, reason: outcome.reason });
      }
      await audit.record('signin.webauthn', 'failure', { userId: outcome.userId, ...origin }, { reason: outcome.reason, credentialId: outcome.credentialId });
      // The same vague answer for every failure; only "this server does not know that
      // credential" is said, so the browser can stop offering it (WebAuthn Signal API).
      throw new KeywardError('webauthn_verification_failed', undefined, outcome.unknownCredential ? { unknownCredential: true } : undefined);
    }
    const { user, credential, passkey } = outcome;
    const hardware = provesHardwareKey(credential);
    let stepUp = false;
    let reset = false;
    let status: 'authenticated' | 'reset_password' = 'authenticated';
    const signedIn = access.view(ctx);
    if (passkey && signedIn.status === 'authenticated') {
      // A step-up with a passkey: it must be one of the signed-in person's own.
      if (signedIn.userId !== user.id) throw new KeywardError('webauthn_verification_failed');
      stepUp = true;
      await access.completePasskeyStepUp(ctx, hardware ? 3 : 2, keyMethod(credential));
    } else if (passkey) {
      // A passkey sign-in always required user verification: two factors in the key.
      await access.completePasskey(ctx, user, hardware ? 3 : 2, keyMethod(credential));
    } else {
      // The pending step must still be open (it lapses after PENDING_MFA_MAX_AGE) and for this user.
      const subject = access.secondFactorSubject(ctx);
      if (subject.userId !== user.id) throw new KeywardError('webauthn_verification_failed');
      stepUp = subject.stepUp;
      reset = subject.reset;
      // After the password (memorised secret + hardware key), or verified on the key itself.
      const afterPassword = access.view(ctx).amr.includes('pwd');
      status = (await access.completeSecondFactor(ctx, keyMethod(credential), { aal: hardware && (afterPassword || outcome.userVerified) ? 3 : 2, user })) === 'reset_password' ? 'reset_password' : 'authenticated';
    }
    await audit.record(passkey ? 'signin.passkey' : 'signin.webauthn', 'success', { userId: user.id, ...origin }, { credentialId: credential.id, stepUp, ...(reset && { reset: true }) });
    ctx.body = { status, user: publicUser(user) };
  });

  router.get('/credentials', async (ctx) => {
    const { userId } = access.requireUser(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await Promise.all((await credentials.listByUser(userId)).map(async (c) => credentialView(c, await deps.keyModel(c.aaguid))));
  });

  router.patch('/credentials/:id', async (ctx) => {
    const { name } = validate(webauthnBodies.rename, ctx.request.body);
    const { userId } = access.requireUser(ctx);
    const updated = await credentials.rename(userId, ctx.params['id'] ?? '', name);
    if (!updated) throw new KeywardError('not_found', 'No such security key.');
    await audit.record('factor.renamed', 'success', { userId, ...requestOrigin(ctx) }, { factor: 'webauthn', credentialId: updated.id, name });
    ctx.body = { credential: credentialView(updated, await deps.keyModel(updated.aaguid)) };
  });

  router.delete('/credentials/:id', async (ctx) => {
    const { userId } = access.requireUser(ctx);
    const target = await credentials.findById(ctx.params['id'] ?? '');
    if (!target || target.userId !== userId) throw new KeywardError('not_found', 'No such security key.');
    // Refused before the step-up is asked for: no recovery code is spent on a removal that
    // cannot happen. The check after the delete below still decides under concurrency.
    // Without a password the keys are the only way in: the last one stays (whatever MFA_REQUIRED says).
    const owner = await users.findById(userId);
    const passwordless = owner !== null && !hasPassword(owner);
    if ((await credentials.countByUser(userId)) <= 1 && (passwordless || (deps.mfaRequired && !(await access.hasSecondFactorBesides(userId, 'webauthn'))))) {
      throw new KeywardError('last_factor', passwordless ? 'This is your only passkey and you have no password: add another passkey (or set a password) before removing it.' : undefined);
    }
    await access.requireStepUp(ctx);
    // Delete first, then look at what is left: two parallel removals cannot both pass a
    // check made before either deleted. The loser's key is put back.
    if (!(await credentials.remove(userId, target.id))) throw new KeywardError('not_found', 'No such security key.');
    // Read again after the delete: a password removed meanwhile makes this the last way in too.
    const ownerAfter = await users.findById(userId);
    const passwordlessAfter = ownerAfter !== null && !hasPassword(ownerAfter);
    if ((passwordlessAfter && (await credentials.countByUser(userId)) === 0) || (deps.mfaRequired && !(await access.hasSecondFactor(userId)))) {
      await credentials.create(target);
      throw new KeywardError('last_factor');
    }
    await audit.record('factor.removed', 'success', { userId, ...requestOrigin(ctx) }, { factor: 'webauthn', credentialId: target.id, name: target.name });
    // Whoever held the key may hold a session too: only the session that removed it stays.
    await access.endOtherSessions(ctx, 'factor_removed');
    ctx.status = 204;
  });

  return router;
}
