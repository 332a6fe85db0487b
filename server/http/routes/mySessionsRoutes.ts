// Where the person is signed in (list, end one, end all others) and the password: changing it
// or removing it (passkey-only from then on) ends every other session; a passkey-only account
// may set one (PASSWORDS permitting).
import Router from '@koa/router';
import { z } from 'zod';
import { hasPassword, type AccountService } from '../../accounts/createAccountService.js';
import type { PasswordsSetting } from '../../accounts/createPasskeyAccounts.js';
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
  passwords: PasswordsSetting;
  /** A new password generation: the reset links mailed before it open nothing. */
  cancelResetLinks: (userId: string) => Promise<unknown>;
  /** Whether the account still holds a key (checked after the password went). */
  hasPasskey: (userId: string) => Promise<boolean>;
}

export const PASSWORDS_OFF = 'Passwords are switched off here: your passkeys sign you in.';

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
    if (deps.passwords === 'off') throw new KeywardError('forbidden', PASSWORDS_OFF);
    const { userId } = await deps.access.requireStepUp(ctx);
    const user = await deps.accounts.findById(userId);
    if (!user) throw new KeywardError('unauthenticated');
    const who = { userId, ...requestOrigin(ctx) };
    // A directory person's password is changed in the directory below (their record holds none).
    if (!hasPassword(user) && !user.directoryId) {
      // Passkey-only: there is no current password to give; the step-up proved the person.
      if (!(await deps.accounts.setPassword(user, body.newPassword))) throw new KeywardError('forbidden', 'The account changed meanwhile: reload and try again.');
      await deps.audit.record('password.set', 'success', who);
      ctx.status = 204;
      return;
    }
    if (body.currentPassword === undefined) {
      throw new KeywardError('invalid_request', 'currentPassword: required', { fields: [{ path: 'currentPassword', message: 'required' }] });
    }
    const currentPassword = body.currentPassword;
    // The current password is a guess like any other: under the same brute-force limits.
    // It counts against the password budget (a first-factor guess), not the second factor's.
    const outcome = await deps.attempts.forAccount(user.usernameNormalized, deps.access.guesser(ctx), () => deps.accounts.changePassword(user, currentPassword, body.newPassword));
    if (!outcome.ok) {
      await deps.audit.record('password.changed', 'failure', who, { reason: 'wrong_current_password' });
      throw new KeywardError('invalid_credentials', 'The current password is not right.');
    }
    await deps.audit.record('password.changed', 'success', who);
    await deps.cancelResetLinks(userId);
    await deps.access.endOtherSessions(ctx, 'password_changed');
    ctx.status = 204;
  });

  // Passkey-only from now on: needs a step-up with a passkey (usernameless, user verified), which
  // proves the account holds one that signs in alone.
  router.delete('/password', async (ctx) => {
    const { userId } = deps.access.requireUser(ctx);
    // Refused before the step-up is asked for, so no passkey prompt is spent on it.
    if (deps.passwords === 'required') throw new KeywardError('forbidden', 'This server requires a password for every account.');
    const user = await deps.accounts.findById(userId);
    if (!user) throw new KeywardError('unauthenticated');
    deps.accounts.refuseIfDirectory(user);
    if (!hasPassword(user)) throw new KeywardError('not_found', 'This account has no password.');
    deps.access.requirePasskeyStepUp(ctx);
    if (!(await deps.accounts.removePassword(user))) throw new KeywardError('forbidden', 'The password changed meanwhile: reload and try again.');
    // Removing the last passkey at the same moment would leave no way in: that removal checks
    // the password after its delete, and this one checks the keys after its update.
    if (!(await deps.hasPasskey(userId))) {
      await deps.accounts.restorePassword(userId, user.passwordHash);
      throw new KeywardError('last_factor', 'Your passkey was removed meanwhile: add one before removing the password.');
    }
    await deps.audit.record('password.removed', 'success', { userId, ...requestOrigin(ctx) });
    await deps.cancelResetLinks(userId);
    await deps.access.endOtherSessions(ctx, 'password_changed');
    ctx.status = 204;
  });

  return router;
}
