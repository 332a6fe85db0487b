import Router from '@koa/router';
import type { AccountService } from '../../accounts/createAccountService.js';
import { publicUser } from '../../accounts/createAccountService.js';
import type { SessionService } from '../../session/createSessionService.js';
import type { SignUpLimit } from '../../access/createSignUpLimit.js';
import { createAccountBody, signInBody } from '../schemas.js';
import { endSession, establishSession } from '../sessionMiddleware.js';
import { validate } from '../validate.js';
import { KeywardError } from '../../errors.js';
import type { AuditLog } from '../../audit/createAuditLog.js';
import { requestOrigin, type SessionAccess } from '../sessionAccess.js';
import type { SignupService } from '../../access/createSignupService.js';
import type { PasswordsSetting } from '../../accounts/createPasskeyAccounts.js';
import { PASSWORDS_OFF } from './mySessionsRoutes.js';

export interface SessionRoutesDeps {
  access: SessionAccess;
  audit: AuditLog;
  accounts: AccountService;
  sessions: SessionService;
  signup: SignupService;
  signUpLimit: SignUpLimit;
  password: { min: number; max: number };
  passwords: PasswordsSetting;
}

export function sessionRoutes(deps: SessionRoutesDeps): Router {
  const router = new Router();
  const accountBody = createAccountBody(deps.password);

  router.post('/accounts', async (ctx) => {
    const body = validate(accountBody, ctx.request.body);
    if (deps.passwords === 'off') throw new KeywardError('forbidden', `${PASSWORDS_OFF} Create your account with a passkey.`);
    await deps.signUpLimit(ctx.ip, body.invitation);
    const user = await deps.signup.signUp(body, requestOrigin(ctx));
    await establishSession(ctx, deps.sessions.afterSignUp(user.id));
    await deps.audit.record('account.created', 'success', { userId: user.id, ...requestOrigin(ctx) }, { username: user.username });
    ctx.status = 201;
    ctx.body = { user: publicUser(user) };
  });

  router.post('/session', async (ctx) => {
    const body = validate(signInBody, ctx.request.body);
    // Refused alike for every name, before any password is checked: it tells nothing about
    // accounts, and a stored password (kept should PASSWORDS change back) signs nobody in.
    if (deps.passwords === 'off') throw new KeywardError('forbidden', `${PASSWORDS_OFF} Sign in with your passkey.`);
    const result = await deps.sessions.signInWithPassword({ ...body, who: deps.access.guesser(ctx) });
    if (!result.ok) {
      await deps.audit.record('signin.password', 'failure', { userId: result.userId, ...requestOrigin(ctx) }, { username: body.username.slice(0, 64) });
      throw new KeywardError('invalid_credentials');
    }
    const { data, factors, user } = result;
    // The person signed in already proving it is them again (an application's prompt=login):
    // the same session carries on under a new id, so what was signed in through it stays.
    const before = deps.access.view(ctx);
    const again = before.status === 'authenticated' && before.userId === user.id && data.stage === 'authenticated';
    await establishSession(ctx, data, { continues: again });
    if (data.stage === 'authenticated') await deps.access.rememberDevice(ctx, user);
    await deps.audit.record('signin.password', 'success', { userId: user.id, ...requestOrigin(ctx) }, { next: data.stage });
    ctx.body = data.stage === 'mfa_required' ? { status: data.stage, factors } : { status: data.stage };
  });

  router.get('/session', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.sessions.describe(ctx.session?.data);
  });

  router.delete('/session', async (ctx) => {
    const { userId } = deps.access.view(ctx);
    if (userId) await deps.audit.record('session.signout', 'success', { userId, ...requestOrigin(ctx) });
    await endSession(ctx);
    ctx.status = 204;
  });

  return router;
}
