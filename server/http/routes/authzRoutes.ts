// Reading who is signed in, for the apps behind Keyward, as Koa routes: forward-auth and
// whoami (the checks themselves are forwardAuth/forwardAuthChecks.ts, which the lean handler
// in front of Koa runs too), and the return-address check the sign-in page asks.
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import type { SessionAccess } from '../sessionAccess.js';
import { validate } from '../validate.js';
import { createForwardAuthChecks, type ForwardAuthChecks, type ForwardAuthDeps } from '../forwardAuth/forwardAuthChecks.js';

export { authzQuery } from '../forwardAuth/forwardAuthChecks.js';

export interface AuthzRoutesDeps extends ForwardAuthDeps {
  access: SessionAccess;
}

export const returnQuery = z.object({ rd: z.string().max(2048).optional() });

/** The checks as Koa handlers over the session the session middleware read (a Koa Context is an Exchange). */
export function forwardAuthHandlers(access: SessionAccess, checks: ForwardAuthChecks): { authz: Middleware; whoami: Middleware } {
  return {
    authz: (ctx) => checks.authz(ctx, access.view(ctx)),
    whoami: (ctx) => checks.whoami(ctx, access.view(ctx)),
  };
}

export function authzRoutes(deps: AuthzRoutesDeps, checks: ForwardAuthChecks = createForwardAuthChecks(deps)): Router {
  const router = new Router();
  const { authz, whoami } = forwardAuthHandlers(deps.access, checks);
  router.get('/authz', authz);

  // The sign-in page asks before following `rd`: a link can carry any address, and only
  // those on AUTHZ_RETURN_DOMAINS may receive the person back (never an open redirect).
  router.get('/authz/return', (ctx) => {
    const { rd } = validate(returnQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { rd: deps.authz.returnAddress(rd) };
  });

  router.get('/whoami', whoami);

  return router;
}
