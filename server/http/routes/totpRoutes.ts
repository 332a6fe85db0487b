import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { trimmedText } from '../schemas.js';
import { KeywardError } from '../../errors.js';
import { publicUser } from '../../accounts/createAccountService.js';
import type { UserStore } from '../../storage/port.js';
import type { GuardedAttempts } from '../../guard/createGuardedAttempts.js';
import type { AuditLog } from '../../audit/createAuditLog.js';
import { notifyFactorAdded, type FactorAddedListener } from '../../session/enrollment.js';
import { authenticatorView, type TotpService } from '../../totp/createTotpService.js';
import type { SessionAccess } from '../sessionAccess.js';
import { requestOrigin } from '../sessionAccess.js';
import { validate } from '../validate.js';

export interface TotpRoutesDeps {
  attempts: GuardedAttempts;
  totp: TotpService;
  users: UserStore;
  access: SessionAccess;
  audit: AuditLog;
  factorAdded: FactorAddedListener[];
}

const name = trimmedText(64, { controls: false });
/** Request bodies, as validated here and described in /api/openapi.json; codes have TOTP_DIGITS digits. */
export function totpBodies(codes: { pattern: RegExp; params: { digits: number } }) {
  return {
    begin: z.strictObject({ name: name.optional() }),
    code: z.strictObject({ code: z.string().regex(codes.pattern, `must be ${codes.params.digits} digits`) }),
    rename: z.strictObject({ name }),
  };
}

const NOT_FOUND = 'No such authenticator app (a set-up not confirmed within 10 minutes is discarded: start again).';

export function totpRoutes(deps: TotpRoutesDeps): Router {
  const { totp, access, audit } = deps;
  const router = new Router({ prefix: '/totp' });
  const bodies = totpBodies(totp.codes);
  const codeBody = bodies.code;
  const idOf = (ctx: Context) => (ctx.params as Record<string, string | undefined>)['id'] ?? '';

  router.post('/authenticators', async (ctx) => {
    const body = validate(bodies.begin, ctx.request.body);
    const { userId } = await access.requireEnrollment(ctx);
    const user = await deps.users.findById(userId);
    if (!user) throw new KeywardError('unauthenticated');
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = await totp.begin(user, body.name);
  });

  router.post('/authenticators/:id/confirm', async (ctx) => {
    const { code } = validate(codeBody, ctx.request.body);
    const { userId, first } = await access.requireEnrollment(ctx);
    const outcome = await totp.confirm(userId, idOf(ctx), code);
    const who = { userId, ...requestOrigin(ctx) };
    if (!outcome.ok) {
      await audit.record('factor.added', 'failure', who, { factor: 'totp', authenticatorId: idOf(ctx), reason: outcome.reason });
      if (outcome.reason === 'not_found') throw new KeywardError('not_found', NOT_FOUND);
      throw new KeywardError('invalid_code');
    }
    // The first factor's confirmation proves both factors just now: the session reaches aal 2.
    if (access.view(ctx).aal < 2) await access.completeSecondFactor(ctx, 'otp');
    const a = outcome.authenticator;
    await audit.record('factor.added', 'success', who, { factor: 'totp', authenticatorId: a.id, name: a.name });
    const extra = await notifyFactorAdded(deps.factorAdded, { userId, factor: 'totp', first, origin: requestOrigin(ctx) });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { authenticator: authenticatorView(a), ...extra };
  });

  router.get('/authenticators', async (ctx) => {
    const { userId } = access.requireUser(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await totp.list(userId);
  });

  router.patch('/authenticators/:id', async (ctx) => {
    const body = validate(bodies.rename, ctx.request.body);
    const { userId } = access.requireUser(ctx);
    const renamed = await totp.rename(userId, idOf(ctx), body.name);
    if (!renamed) throw new KeywardError('not_found', NOT_FOUND);
    await audit.record('factor.renamed', 'success', { userId, ...requestOrigin(ctx) }, { factor: 'totp', authenticatorId: renamed.id, name: renamed.name });
    ctx.body = { authenticator: authenticatorView(renamed) };
  });

  router.delete('/authenticators/:id', async (ctx) => {
    const { userId } = access.requireUser(ctx);
    // Refused before the step-up is asked for, so no recovery code is spent on it.
    if (await totp.isLastFactor(userId, idOf(ctx))) throw new KeywardError('last_factor');
    await access.requireStepUp(ctx);
    const outcome = await totp.remove(userId, idOf(ctx));
    if (!outcome.ok) throw outcome.reason === 'last_factor' ? new KeywardError('last_factor') : new KeywardError('not_found', NOT_FOUND);
    const { removed } = outcome;
    await audit.record('factor.removed', 'success', { userId, ...requestOrigin(ctx) }, { factor: 'totp', authenticatorId: removed.id, name: removed.name, confirmed: removed.confirmed });
    // Whoever held the app's secret may hold a session too: only the session that removed it stays.
    if (removed.confirmed) await access.endOtherSessions(ctx, 'factor_removed');
    ctx.status = 204;
  });

  router.post('/verify', async (ctx) => {
    const { code } = validate(codeBody, ctx.request.body);
    const subject = access.secondFactorSubject(ctx);
    const outcome = await deps.attempts.forUser(subject.userId, access.guesser(ctx), (user) => totp.verify(user, code));
    const who = { userId: subject.userId, ...requestOrigin(ctx) };
    if (!outcome.ok) {
      // One vague answer for every failure; the reason stays in the audit log.
      await audit.record('signin.totp', 'failure', who, { reason: outcome.reason, stepUp: subject.stepUp, ...(subject.reset && { reset: true }) });
      throw new KeywardError('invalid_code');
    }
    const status = await access.completeSecondFactor(ctx, 'otp', { user: outcome.user });
    await audit.record('signin.totp', 'success', who, { authenticatorId: outcome.authenticatorId, step: outcome.step, stepUp: subject.stepUp, ...(subject.reset && { reset: true }) });
    ctx.body = { status, user: publicUser(outcome.user) };
  });

  return router;
}
