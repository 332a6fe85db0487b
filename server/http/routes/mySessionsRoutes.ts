// Where the person is signed in (list, end one, end all others) and changing the password,
// which ends every other session.
import Router from '@koa/router';
import { z } from 'zod';
import type { AccountService } from '../../accounts/createAccountService.js';
import type { GuardedAttempts } from '../../guard/createGuardedAttempts.js';
import type { AuditLog } from '../../audit/createAuditLog.js';
import type { SessionControl } from '../../session/createSessionControl.js';
import { KeywardError } from '../../errors.js';
import { changePasswordBody } from '../schemas.js';
import { endSession } from '../sessionMiddleware.js';
import { requestOrigin, type SessionAccess } from '../sessionAccess.js';
import { validate } from '../validate.js';

export const mySessionsSchemas = {
  sessionId: z.string().min(1).max(64),
  revokeOthers: z.strictObject({}),
  changePassword: changePasswordBody,
};

export interface MySessionsDeps {
  access: SessionAccess;
  control: SessionControl;
  accounts: AccountService;
  attempts: GuardedAttempts;
  audit: AuditLog;
  password: { min: number; max: number };
}

export function mySessionsRoutes(deps: MySessionsDeps): Router {
  const router = new Router({ prefix: '/me' });
  const passwordBody = changePasswordBody(deps.password);

  router.get('/sessions', async (ctx) => {
    const asker = deps.access.asker(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { sessions: await deps.control.list(asker) };
  });

  router.delete('/sessions/:id', async (ctx) => {
    const asker = deps.access.asker(ctx);
    const id = validate(mySessionsSchemas.sessionId, ctx.params['id']);
    if (!(await deps.control.revoke(asker, id))) throw new KeywardError('not_found', 'No such session.');
    if (id === asker.publicId) await endSession(ctx);
    ctx.status = 204;
  });

  router.post('/sessions/revoke-others', async (ctx) => {
    validate(mySessionsSchemas.revokeOthers, ctx.request.body);
    const asker = deps.access.asker(ctx);
    ctx.body = { revoked: await deps.control.revokeOthers(asker, 'revoke_others') };
  });

  router.post('/password', async (ctx) => {
    const body = validate(passwordBody, ctx.request.body);
    const { userId } = await deps.access.requireStepUp(ctx);
    // The current password is a guess like any other: under the same brute-force limits.
    // It counts against the password budget (a first-factor guess), not the second factor's.
    const user = await deps.accounts.findById(userId);
    if (!user) throw new KeywardError('unauthenticated');
    const outcome = await deps.attempts.forAccount(user.usernameNormalized, deps.access.guesser(ctx), () => deps.accounts.changePassword(user, body.currentPassword, body.newPassword));
    const who = { userId, ...requestOrigin(ctx) };
    if (!outcome.ok) {
      await deps.audit.record('password.changed', 'failure', who, { reason: 'wrong_current_password' });
      throw new KeywardError('invalid_credentials', 'The current password is not right.');
    }
    await deps.audit.record('password.changed', 'success', who);
    await deps.access.endOtherSessions(ctx, 'password_changed');
    ctx.status = 204;
  });

  return router;
}
