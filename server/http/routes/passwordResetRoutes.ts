// A forgotten password: ask for a link, open it, confirm with a second factor (the usual
// verify routes, which see the reset_required stage), then choose the new password.
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { publicUser } from '../../accounts/createAccountService.js';
import { RESET_REQUESTED, type PasswordResetService } from '../../passwordReset/createPasswordResetService.js';
import type { AuditLog } from '../../audit/createAuditLog.js';
import type { SessionControl } from '../../session/createSessionControl.js';
import { afterPasswordReset, afterResetLink } from '../../session/sessionState.js';
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
}

/** Request bodies, as validated here and described in /api/openapi.json. */
export function passwordResetBodies(pw: { min: number; max: number }) {
  return {
    request: z.strictObject({ account: trimmedText(254).meta({ description: 'The username, or the confirmed address for security notices' }) }),
    open: z.strictObject({ token: linkToken }),
    complete: z.strictObject({ password: password(pw.min, pw.max) }),
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

  router.post('/complete', async (ctx: Context) => {
    const body = validate(bodies.complete, ctx.request.body);
    const v = deps.access.view(ctx);
    if (v.status !== 'reset_password' || !v.userId) throw new KeywardError('forbidden', 'Open the link from the mail and confirm it is you with a second factor first.');
    const user = await deps.resets.complete(v.userId, body.password);
    const origin = requestOrigin(ctx);
    const record = ctx.session?.record;
    // Whoever knew the old password may hold a session: only this one goes on, signed in anew.
    await deps.control.revokeOthers({ userId: user.id, idHash: record?.idHash ?? null, publicId: record?.publicId ?? null, ...origin }, 'password_reset');
    await establishSession(ctx, afterPasswordReset(ctx.session?.data ?? {}, deps.clock.now()), { continues: true });
    await deps.audit.record('password.reset', 'success', { userId: user.id, ...origin }, { amr: v.amr });
    ctx.body = { status: 'authenticated', user: publicUser(user) };
  });

  return router;
}
