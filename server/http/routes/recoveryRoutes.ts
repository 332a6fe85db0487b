import Router from '@koa/router';
import { z } from 'zod';
import { KeywardError } from '../../errors.js';
import { publicUser } from '../../accounts/createAccountService.js';
import type { GuardedAttempts } from '../../guard/createGuardedAttempts.js';
import type { AuditLog } from '../../audit/createAuditLog.js';
import type { RecoveryService } from '../../recovery/createRecoveryService.js';
import { recoveryCodeFormat } from '../../recovery/recoveryCodeFormat.js';
import type { SessionAccess } from '../sessionAccess.js';
import { requestOrigin } from '../sessionAccess.js';
import { validate } from '../validate.js';

export interface RecoveryRoutesDeps {
  attempts: GuardedAttempts;
  recovery: RecoveryService;
  access: SessionAccess;
  audit: AuditLog;
}

// A code of the wrong shape is a 400 (the person mistyped its length), never a guess spent.
const codeBody = z.strictObject({
  code: z
    .string()
    .max(64)
    .transform((s) => recoveryCodeFormat.normalize(s))
    .refine((c): c is string => c !== null, 'must be 10 characters like xxxxx-xxxxx')
    .meta({
      // What recoveryCodeFormat.normalize accepts: Crockford base32 in any case, hyphens and spaces ignored, I/L read as 1, O as 0.
      pattern: '^[\\s-]*(?:[0-9A-TV-Za-tv-z][\\s-]*){10}$',
      description: 'A recovery code: 10 characters of Crockford base32, shown as xxxxx-xxxxx; case, spaces and hyphens do not matter',
      examples: ['7h2kq-m9xcd'],
    }),
});

/** Request bodies, as validated here and described in /api/openapi.json. */
export const recoveryBodies = { regenerate: z.strictObject({}), verify: codeBody };

export function recoveryRoutes(deps: RecoveryRoutesDeps): Router {
  const { recovery, access, audit } = deps;
  const router = new Router({ prefix: '/recovery-codes' });

  router.get('/', async (ctx) => {
    const { userId } = access.requireUser(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { remaining: await recovery.remaining(userId) };
  });

  router.post('/', async (ctx) => {
    validate(recoveryBodies.regenerate, ctx.request.body);
    const { userId } = await access.requireStepUp(ctx);
    const codes = await recovery.regenerate(userId);
    await audit.record('recovery_codes.issued', 'success', { userId, ...requestOrigin(ctx) }, { reason: 'regenerated', count: codes.length });
    // New codes usually mean the old ones were seen: a session opened with one of them ends.
    await access.endOtherSessions(ctx, 'recovery_codes_regenerated');
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = { codes };
  });

  router.post('/verify', async (ctx) => {
    const { code } = validate(codeBody, ctx.request.body);
    const subject = access.secondFactorSubject(ctx);
    const outcome = await deps.attempts.forUser(subject.userId, access.guesser(ctx), (user) => recovery.use(user, code as string));
    const who = { userId: subject.userId, ...requestOrigin(ctx) };
    if (!outcome.ok) {
      await audit.record('signin.recovery_code', 'failure', who, { reason: outcome.reason, stepUp: subject.stepUp, ...(subject.reset && { reset: true }) });
      throw new KeywardError('invalid_code');
    }
    const status = await access.completeSecondFactor(ctx, 'rec');
    await audit.record('signin.recovery_code', 'success', who, { remaining: outcome.remaining, stepUp: subject.stepUp, ...(subject.reset && { reset: true }) });
    ctx.body = { status, user: publicUser(outcome.user), remaining: outcome.remaining };
  });

  return router;
}
