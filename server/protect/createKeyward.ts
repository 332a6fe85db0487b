// Keyward as a library: a Koa app hosts Keyward in-process (its API, JWKS and, when built,
// its pages) and protects its own routes with requireUser(). createApp is built from the
// same createKeywardRouters, so the hosted and the standalone server cannot drift apart.
//
//   const app = new Koa();
//   const keyward = createKeyward({ app, config, storage, clock, random, logger });
//   app.use(keyward.routes());
//   router.get('/reports', keyward.requireUser({ aal: 2 }), (ctx) => { ctx.state.keywardUser ... });
//
// Keyward owns ctx.session on the host app (server/http/sessionMiddleware.ts), and every path under /api.
import type Koa from 'koa';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { createKeywardRouters, type AppDeps } from '../app.js';
import { errorHandler } from '../http/errorHandler.js';
import { singleForwardedValues } from '../http/singleForwardedValues.js';
import { requestContext } from '../http/requestContext.js';
import { securityHeaders } from '../http/securityHeaders.js';
import { staticClient } from '../http/staticClient.js';
import { createRequireUser, type RequireUser } from './requireUser.js';

export interface KeywardHostDeps extends AppDeps {
  /** The hosting Koa app. */
  app: Koa;
}

export interface Keyward {
  routers: { api: Router; wellKnown: Router };
  /** For app.use(): Keyward's paths get Keyward's error answers and security headers; others pass through. */
  routes(): Middleware;
  requireUser: RequireUser;
}

// The client's own pages (its "/" is the host's) and their assets.
const PAGES = new Set(['/signin', '/signup', '/verify', '/settings']);

export function createKeyward(deps: KeywardHostDeps): Keyward {
  const { app, config, random, logger } = deps;
  const core = createKeywardRouters(app, deps);
  const stack: Middleware[] = [
    requestContext(logger, random, config.trustProxy),
    errorHandler(),
    singleForwardedValues({ trustProxy: config.trustProxy }),
    securityHeaders({ secure: config.cookieSecure }),
    core.wellKnown.routes() as Middleware,
    core.api.routes() as Middleware,
    core.api.allowedMethods() as Middleware,
  ];
  if (deps.clientDir) stack.push(staticClient(deps.clientDir));
  const isKeywardPath = (path: string) =>
    path === '/api' ||
    path.startsWith('/api/') ||
    path === '/.well-known/jwks.json' ||
    (deps.clientDir !== undefined && (PAGES.has(path) || path.startsWith('/assets/')));
  const served = chain(stack);

  return {
    routers: { api: core.api, wellKnown: core.wellKnown },
    routes: () => (ctx, next) => (isKeywardPath(ctx.path) ? served(ctx, next) : next()),
    requireUser: createRequireUser({ session: core.session, access: core.access, authz: core.protect.authz }),
  };
}

/** Runs `stack` in order, then the host's next middleware (what koa-compose does). */
function chain(stack: Middleware[]): Middleware {
  return (ctx, next) => {
    const run = async (i: number): Promise<void> => {
      const mw = stack[i];
      if (mw) await mw(ctx, () => run(i + 1));
      else await next();
    };
    return run(0);
  };
}
