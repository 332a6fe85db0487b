// Reading who is signed in, for the apps behind Keyward: forward-auth for reverse proxies
// (nginx auth_request, Traefik forwardAuth, Caddy forward_auth) and whoami for services that
// forward the cookie. Safe methods only, so no Origin is needed.
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { KeywardError } from '../../errors.js';
import type { Authz } from '../../protect/createAuthz.js';
import type { SessionIdentity } from '../../protect/createSessionIdentity.js';
import { identityHeaders, whoamiBody } from '../../protect/identityAnswers.js';
import type { SessionAccess } from '../sessionAccess.js';
import { validate } from '../validate.js';
import type { AccessControl, ForwardedRequest } from '../../access/createAccessControl.js';
import type { DeniedAccessAudit } from '../../access/createDeniedAccessAudit.js';
import type { KeywardUser } from '../../protect/createSessionIdentity.js';
import { answerForbidden } from '../forbiddenPage.js';
import type { PageLook } from '../pages/serverPage.js';
import { requestOrigin } from '../sessionAccess.js';

export interface AuthzRoutesDeps {
  access: SessionAccess;
  authz: Authz;
  identity: SessionIdentity;
  /** TRUST_PROXY: only then do X-Forwarded-* headers name the page the person wanted. */
  trustProxy: boolean;
  /** ACCESS_RULES_FILE: the rules decide (and `?aal=` is ignored); absent: `?aal=` alone. */
  rules?: { control: AccessControl; auditDenied: DeniedAccessAudit } | undefined;
  /** The look of the no-access page (forbiddenPage.ts). */
  look: PageLook;
}

export const authzQuery = z.object({
  aal: z.enum(['1', '2', '3']).default('2').transform((a) => Number(a) as 1 | 2 | 3),
  rd: z.string().max(2048).optional(),
  // Traefik and Caddy hand the auth answer to the browser: a 302 works there, a 401 does not.
  redirect: z.enum(['true', 'false', '1', '0']).optional().transform((r) => r === 'true' || r === '1'),
});

export const returnQuery = z.object({ rd: z.string().max(2048).optional() });

const first = (header: string) => header.split(',')[0]!.trim();

/** The address the person asked for, as the trusted proxy reports it. */
function forwardedUrl(ctx: Context): string | undefined {
  const proto = first(ctx.get('X-Forwarded-Proto'));
  const host = first(ctx.get('X-Forwarded-Host'));
  if (!proto || !host) return undefined;
  return `${proto}://${host}${ctx.get('X-Forwarded-Uri') || '/'}`;
}

/** The request-target of an absolute URL as written: `new URL()` would resolve dot segments and backslashes first. */
function targetOf(url: string): string {
  const target = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/is.exec(url)?.[1] ?? '';
  return target.startsWith('/') ? target : `/${target}`;
}

/** The host the person asked for as they wrote it, port and all (the rules match it without). */
function askedHost(ctx: Context): string {
  const forwarded = first(ctx.get('X-Forwarded-Host'));
  if (forwarded) return forwarded;
  try {
    return new URL(ctx.get('X-Original-URL')).host;
  } catch {
    return '';
  }
}

/**
 * What the proxy says was asked for: X-Forwarded-Host/-Uri/-Method (Traefik, Caddy, the
 * README's nginx snippet), or X-Original-URL/-Method (nginx auth_request set-ups).
 */
function forwardedRequest(ctx: Context): ForwardedRequest {
  const original = ctx.get('X-Original-URL');
  let url: URL | undefined;
  try {
    url = original ? new URL(original) : undefined;
  } catch {
    url = undefined;
  }
  return {
    host: (first(ctx.get('X-Forwarded-Host')) || url?.host || '').replace(/:\d+$/, ''),
    uri: ctx.get('X-Forwarded-Uri') || (url ? targetOf(original) : '/'),
    method: (ctx.get('X-Forwarded-Method') || ctx.get('X-Original-Method') || 'GET').toUpperCase(),
    ip: ctx.ip,
  };
}

function allow(ctx: Context, user: KeywardUser): void {
  ctx.set(identityHeaders(user));
  // A Buffer, not an object: Node sends a string body in one write with the headers,
  // encoding both as UTF-8, which would mangle the UTF-8 bytes already in Remote-Name.
  ctx.type = 'application/json';
  ctx.body = Buffer.from(JSON.stringify({ user: { id: user.id, username: user.username }, aal: user.aal }));
}

/** The two checks every proxied request makes, as plain handlers: the router serves them, and so does the fast path (forwardAuthFastPath.ts). */
export function forwardAuthHandlers(deps: AuthzRoutesDeps): { authz: Middleware; whoami: Middleware } {
  const rules = deps.rules;
  // Proxies send the same few query strings on every check: parse each once (zod only on a miss).
  const queries = memoized((ctx) => validate(authzQuery, ctx.query));

  const authz: Middleware = async (ctx) => {
    const query = queries(ctx);
    ctx.set('Cache-Control', 'no-store');
    if (rules) {
      const req = forwardedRequest(ctx);
      const { verdict, user, signedIn, ambiguous } = await rules.control.check(deps.access.view(ctx), req);
      if (ambiguous) {
        const { host, method } = req;
        ctx.state.log.warn(
          { host, uri: req.uri.slice(0, 256), method, reason: ambiguous.reason, rawTextRule: ambiguous.rawTextRule, rule: verdict.rule, verdict: verdict.kind },
          "forward-auth: a path servers may read differently, judged by the strictest of the host's rules",
        );
      }
      if (verdict.kind === 'allow') {
        if (user) allow(ctx, user);
        else ctx.body = { user: null };
        return;
      }
      if (verdict.kind === 'forbidden') {
        const { uri, ...where } = req;
        await rules.auditDenied({ userId: user?.id ?? null, username: user?.username ?? null, ...where, path: uri.slice(0, 256), rule: verdict.rule }, requestOrigin(ctx));
        answerForbidden(ctx, deps.look, { host: askedHost(ctx), username: user?.username ?? null });
        return;
      }
      return askToSignIn(ctx, query, signedIn);
    }
    const decision = await deps.authz.decide(deps.access.view(ctx), query.aal);
    if (decision.allowed) return allow(ctx, decision.user);
    return askToSignIn(ctx, query, decision.signedIn);
  };

  function askToSignIn(ctx: Context, query: z.output<typeof authzQuery>, signedIn: boolean): void {
    const signInUrl = deps.authz.signInLocation(query.rd ?? (deps.trustProxy ? forwardedUrl(ctx) : undefined));
    const method = (deps.trustProxy && ctx.get('X-Forwarded-Method')) || 'GET';
    ctx.set('Location', signInUrl);
    ctx.status = query.redirect && (method === 'GET' || method === 'HEAD') ? 302 : 401;
    ctx.body = {
      error: 'unauthenticated',
      message: signedIn ? 'Sign in with a second factor to continue.' : 'Sign in first.',
      signInUrl,
    };
  }

  const whoami: Middleware = async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const user = await deps.identity.identify(deps.access.view(ctx));
    if (!user) throw new KeywardError('unauthenticated');
    ctx.body = whoamiBody(user, ctx.state.sessionExpiresAt);
  };

  return { authz, whoami };
}

const MEMO_ENTRIES = 256;

/** `parse(ctx)` remembered by the raw query string (a bounded map: junk query strings cannot grow it). */
function memoized<T>(parse: (ctx: Context) => T): (ctx: Context) => T {
  const seen = new Map<string, T>();
  return (ctx) => {
    const key = ctx.querystring;
    const hit = seen.get(key);
    if (hit !== undefined) return hit;
    const parsed = parse(ctx);
    if (seen.size >= MEMO_ENTRIES) seen.delete(seen.keys().next().value!);
    seen.set(key, parsed);
    return parsed;
  };
}

export function authzRoutes(deps: AuthzRoutesDeps): Router {
  const router = new Router();
  const { authz, whoami } = forwardAuthHandlers(deps);
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
