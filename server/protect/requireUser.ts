// Protecting a route of an app that hosts Keyward in-process: the same decision as
// /api/authz, answered like the API (401 unauthenticated, with where to sign in; 403
// mfa_required when the person is signed in below the level). It shapes its refusals
// itself rather than throwing, because the host's error handling is not Keyward's.
import type { Context, Middleware } from 'koa';
import { KeywardError } from '../errors.js';
import type { SessionAccess } from '../http/sessionAccess.js';
import type { Authz, RequiredAal } from './createAuthz.js';
import type { KeywardUser } from './createSessionIdentity.js';

declare module 'koa' {
  interface DefaultState {
    /** Set by requireUser() for the routes it lets through. */
    keywardUser?: KeywardUser;
  }
}

export interface RequireUserDeps {
  /** Keyward's session middleware (it loads ctx.session from the cookie). */
  session: Middleware;
  access: SessionAccess;
  authz: Authz;
}

export type RequireUser = (opts?: { aal?: RequiredAal }) => Middleware;

export function createRequireUser(deps: RequireUserDeps): RequireUser {
  const refuse = (ctx: Context, e: KeywardError, signInUrl: string) => {
    ctx.status = e.status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: e.code, message: e.message, signInUrl };
  };

  return (opts = {}) => {
    const required = opts.aal ?? 2;
    return (ctx, next) =>
      deps.session(ctx, async () => {
        const decision = await deps.authz.decide(deps.access.view(ctx), required);
        if (!decision.allowed) {
          const signInUrl = deps.authz.signInLocation(ctx.href);
          if (decision.signedIn) refuse(ctx, new KeywardError('mfa_required', 'This page needs a second factor: verify with one.'), signInUrl);
          else refuse(ctx, new KeywardError('unauthenticated'), signInUrl);
          return;
        }
        ctx.state.keywardUser = decision.user;
        await next();
      });
  };
}
