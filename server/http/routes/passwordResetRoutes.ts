// A forgotten password: ask for a link, open it, confirm with a second factor (the usual
// verify routes, which see the reset_required stage), then choose the new password, or
// (PASSWORDS optional or off) a passkey in its place: the account is passkey-only from then on.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { publicUser } from '../../accounts/createAccountService.js';
import { RESET_REQUESTED, type PasswordResetService } from '../../passwordReset/createPasswordResetService.js';
import type { AuditLog } from '../../audit/createAuditLog.js';
import type { SessionControl } from '../../session/createSessionControl.js';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { afterPasskey, afterPasswordReset, afterResetLink } from '../../session/sessionState.js';
import type { PasskeyAccounts, PasswordsSetting } from '../../accounts/createPasskeyAccounts.js';
import type { Random } from '../../clock.js';
import { keyMethod } from '../../webauthn/keyMethod.js';
import { credentialView } from '../../webauthn/credentialView.js';
import type { KeyModel } from '../../mds/createMdsService.js';
import { registrationResponse } from '../../webauthn/responseSchemas.js';
import { ceremonyBinding } from '../ceremonyBinding.js';
import { PASSWORDS_OFF } from './mySessionsRoutes.js';
import { KeywardError } from '../../errors.js';
import type { Clock } from '../../clock.js';
import { linkToken, password, trimmedText } from '../schemas.js';
import { establishSession } from '../sessionMiddleware.js';
import { requestOrigin, type SessionAccess } from '../sessionAccess.js';
import { validate } from '../validate.js';

export interface PasswordResetRoutesDeps {
  resets: PasswordResetService;
  access: SessionAccess;
  control: SessionControl;
  audit: AuditLog;
  clock: Clock;
  password: { min: number; max: number };
  passwords: PasswordsSetting;
  passkeys: PasskeyAccounts;
  /** Whether the account has a second factor yet (the passkey may be its first: recovery codes come with it). */
  hasSecondFactor: (userId: string) => Promise<boolean>;
  random: Random;
  keyModel: (aaguid: string) => Promise<KeyModel>;
}

/** Request bodies, as validated here and described in /api/openapi.json. */
export function passwordResetBodies(pw: { min: number; max: number }) {
  return {
    request: z.strictObject({ account: trimmedText(254).meta({ description: 'The username, or the confirmed address for security notices' }) }),
    open: z.strictObject({ token: linkToken }),
    complete: z.strictObject({ password: password(pw.min, pw.max) }),
    passkeyOptions: z.strictObject({}),
    passkey: z.strictObject({ response: registrationResponse, defaultName: z.string().trim().min(1).max(64).regex(/^[^\p{Cc}\p{Cf}]*$/u).optional() }),
  };
}

export function passwordResetRoutes(deps: PasswordResetRoutesDeps): Router {
  const router = new Router({ prefix: '/password-reset' });
  const bodies = passwordResetBodies(deps.password);

  router.post('/', async (ctx) => {
    const { account } = validate(bodies.request, ctx.request.body);
    await deps.resets.request(account, requestOrigin(ctx));
    ctx.status = 202;
    ctx.body = { message: RESET_REQUESTED };
  });

  // Uses the link; the session then belongs to nobody signed in, only to this reset.
  router.post('/open', async (ctx) => {
    const { token } = validate(bodies.open, ctx.request.body);
    const { user, factors } = await deps.resets.open(token);
    await establishSession(ctx, afterResetLink(user.id, deps.clock.now()));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'reset_required', user: publicUser(user), factors };
  });

  /** The session's user once the link and a second factor were both proved. */
  function resetting(ctx: Context) {
    const v = deps.access.view(ctx);
    if (v.status !== 'reset_password' || !v.userId) throw new KeywardError('forbidden', 'Open the link from the mail and confirm it is you with a second factor first.');
    return { ...v, userId: v.userId };
  }

  /** Whoever knew the old password may hold a session: only this one goes on. */
  async function endOthers(ctx: Context, userId: string) {
    const record = ctx.session?.record;
    await deps.control.revokeOthers({ userId, idHash: record?.idHash ?? null, publicId: record?.publicId ?? null, ...requestOrigin(ctx) }, 'password_reset');
  }

  router.post('/complete', async (ctx: Context) => {
    const body = validate(bodies.complete, ctx.request.body);
    if (deps.passwords === 'off') throw new KeywardError('forbidden', `${PASSWORDS_OFF} Add a passkey instead.`);
    const v = resetting(ctx);
    const user = await deps.resets.complete(v.userId, body.password);
    await endOthers(ctx, user.id);
    await establishSession(ctx, afterPasswordReset(ctx.session?.data ?? {}, deps.clock.now()), { continues: true });
    await deps.audit.record('password.reset', 'success', { userId: user.id, ...requestOrigin(ctx) }, { amr: v.amr });
    ctx.body = { status: 'authenticated', user: publicUser(user) };
  });

  router.post('/passkey/options', async (ctx: Context) => {
    validate(bodies.passkeyOptions, ctx.request.body);
    const v = resetting(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.passkeys.startReset(v.userId, ceremonyBinding(ctx, deps.random));
  });

  // A passkey in place of the forgotten password: signed in with it, at the level the reset's factor proved.
  router.post('/passkey', async (ctx: Context) => {
    const body = validate(bodies.passkey, ctx.request.body);
    const v = resetting(ctx);
    const first = !(await deps.hasSecondFactor(v.userId));
    const made = await deps.passkeys.finishReset(v.userId, ceremonyBinding(ctx, deps.random), body.response as RegistrationResponseJSON, body.defaultName, first, requestOrigin(ctx));
    await deps.resets.cancelLinks(made.user.id);
    await endOthers(ctx, made.user.id);
    const data = ctx.session?.data ?? {};
    await establishSession(ctx, afterPasskey(made.user.id, deps.clock.now(), data.resetAal ?? 2, keyMethod(made.credential)), { continues: true });
    const origin = requestOrigin(ctx);
    await deps.audit.record('factor.added', 'success', { userId: made.user.id, ...origin }, { factor: 'webauthn', credentialId: made.credential.id, name: made.credential.name, passkeyOnly: true });
    await deps.audit.record('password.reset', 'success', { userId: made.user.id, ...origin }, { amr: v.amr, passkey: true });
    ctx.body = { status: 'authenticated', user: publicUser(made.user), credential: credentialView(made.credential, await deps.keyModel(made.credential.aaguid)), ...made.extra };
  });

  return router;
}
