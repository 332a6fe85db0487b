import Router from '@koa/router';
import type { AccountService } from '../../accounts/createAccountService.js';
import { publicUser } from '../../accounts/createAccountService.js';
import type { SessionService } from '../../session/createSessionService.js';
import { createAccountBody, signInBody } from '../schemas.js';
import { endSession, establishSession } from '../sessionMiddleware.js';
import { validate } from '../validate.js';

export interface SessionRoutesDeps {
  accounts: AccountService;
  sessions: SessionService;
  password: { min: number; max: number };
}

export function sessionRoutes(deps: SessionRoutesDeps): Router {
  const router = new Router();
  const accountBody = createAccountBody(deps.password);

  router.post('/accounts', async (ctx) => {
    const body = validate(accountBody, ctx.request.body);
    const user = await deps.accounts.register(body);
    await establishSession(ctx, deps.sessions.afterSignUp(user.id));
    ctx.status = 201;
    ctx.body = { user: publicUser(user) };
  });

  router.post('/session', async (ctx) => {
    const body = validate(signInBody, ctx.request.body);
    const { data, factors } = await deps.sessions.signInWithPassword(body);
    await establishSession(ctx, data);
    ctx.body = data.stage === 'mfa_required' ? { status: data.stage, factors } : { status: data.stage };
  });

  router.get('/session', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.sessions.describe(ctx.session?.toJSON());
  });

  router.delete('/session', (ctx) => {
    endSession(ctx);
    ctx.status = 204;
  });

  return router;
}
