// The two checks every proxied request makes: GET /api/authz (forward-auth for nginx
// auth_request, Traefik forwardAuth, Caddy forward_auth) and GET /api/whoami. One
// implementation with two entry points: the Koa route (authzRoutes.ts) passes its ctx, the
// lean handler in front of Koa (leanForwardAuth.ts) its own exchange; both hand in the session
// view their session layer read. Safe methods only, so no Origin is needed.
import { z } from 'zod';
import { KeywardError } from '../../errors.js';
import type { Authz, RequiredAal } from '../../protect/createAuthz.js';
import type { KeywardUser, SessionIdentity } from '../../protect/createSessionIdentity.js';
import { identityHeaders, whoamiBody } from '../../protect/identityAnswers.js';
import type { AccessControl } from '../../access/createAccessControl.js';
import type { DeniedAccessAudit } from '../../access/createDeniedAccessAudit.js';
import type { SessionView } from '../../session/sessionState.js';
import type { SessionUserNames } from '../../storage/port.js';
import { answerForbidden } from '../forbiddenPage.js';
import type { PageLook } from '../pages/serverPage.js';
import { validate } from '../validate.js';
import { JSON_TYPE, type Exchange } from './exchange.js';
import { askedHost, forwardedRequest, forwardedUrl } from './forwardedRequest.js';

export interface ForwardAuthDeps {
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
  aal: z.enum(['1', '2', '3']).default('2').transform((a) => Number(a) as RequiredAal),
  rd: z.string().max(2048).optional(),
  // Traefik and Caddy hand the auth answer to the browser: a 302 works there, a 401 does not.
  redirect: z.enum(['true', 'false', '1', '0']).optional().transform((r) => r === 'true' || r === '1'),
});

type AuthzQuery = z.output<typeof authzQuery>;

/**
 * A check: the request, the session view its session layer read, and the user's names when
 * that read brought them (SessionStore.getWithUser; undefined: the identity cache has them).
 */
export type ForwardAuthCheck = (ex: Exchange, view: SessionView, known?: SessionUserNames | null) => Promise<void>;

const MEMO_ENTRIES = 256;

function allow(ex: Exchange, user: KeywardUser): void {
  const headers = identityHeaders(user);
  for (const name in headers) ex.set(name, headers[name]!);
  // A Buffer, not an object: Node sends a string body in one write with the headers,
  // encoding both as UTF-8, which would mangle the UTF-8 bytes already in Remote-Name.
  ex.type = JSON_TYPE;
  ex.body = Buffer.from(`{"user":{"id":${JSON.stringify(user.id)},"username":${JSON.stringify(user.username)}},"aal":${user.aal}}`);
}

export function createForwardAuthChecks(deps: ForwardAuthDeps): { authz: ForwardAuthCheck; whoami: ForwardAuthCheck } {
  const rules = deps.rules;
  // Proxies send the same few query strings on every check: each is parsed once (zod only
  // for a query string not seen lately; a bounded map, so junk query strings cannot grow it).
  const queries = new Map<string, AuthzQuery>();
  const queryOf = (ex: Exchange): AuthzQuery => {
    const hit = queries.get(ex.querystring);
    if (hit !== undefined) return hit;
    const parsed = validate(authzQuery, ex.query);
    if (queries.size >= MEMO_ENTRIES) queries.delete(queries.keys().next().value!);
    queries.set(ex.querystring, parsed);
    return parsed;
  };

  function askToSignIn(ex: Exchange, query: AuthzQuery, signedIn: boolean): void {
    const signInUrl = deps.authz.signInLocation(query.rd ?? (deps.trustProxy ? forwardedUrl(ex) : undefined));
    const method = (deps.trustProxy && ex.get('X-Forwarded-Method')) || 'GET';
    ex.set('Location', signInUrl);
    ex.status = query.redirect && (method === 'GET' || method === 'HEAD') ? 302 : 401;
    ex.body = {
      error: 'unauthenticated',
      message: signedIn ? 'Sign in with a second factor to continue.' : 'Sign in first.',
      signInUrl,
    };
  }

  async function byRules(ex: Exchange, r: NonNullable<typeof rules>, view: SessionView, known: SessionUserNames | null | undefined, query: AuthzQuery): Promise<void> {
    const req = forwardedRequest(ex);
    const { verdict, user, signedIn, ambiguous } = await r.control.check(view, req, known);
    if (ambiguous) {
      const { host, method } = req;
      ex.state.log.warn(
        { host, uri: req.uri.slice(0, 256), method, reason: ambiguous.reason, rawTextRule: ambiguous.rawTextRule, rule: verdict.rule, verdict: verdict.kind },
        "forward-auth: a path servers may read differently, judged by the strictest of the host's rules",
      );
    }
    if (verdict.kind === 'allow') {
      if (user) allow(ex, user);
      else ex.body = { user: null };
      return;
    }
    if (verdict.kind === 'forbidden') {
      const { uri, ...where } = req;
      const origin = { ip: ex.ip || null, userAgent: ex.get('User-Agent') || null, requestId: ex.state.requestId ?? null };
      await r.auditDenied({ userId: user?.id ?? null, username: user?.username ?? null, ...where, path: uri.slice(0, 256), rule: verdict.rule }, origin);
      answerForbidden(ex, deps.look, { host: askedHost(ex), username: user?.username ?? null });
      return;
    }
    askToSignIn(ex, query, signedIn);
  }

  const authz: ForwardAuthCheck = async (ex, view, known) => {
    const query = queryOf(ex);
    ex.set('Cache-Control', 'no-store');
    if (rules) return byRules(ex, rules, view, known, query);
    const decision = await deps.authz.decide(view, query.aal, known);
    if (decision.allowed) allow(ex, decision.user);
    else askToSignIn(ex, query, decision.signedIn);
  };

  const whoami: ForwardAuthCheck = async (ex, view, known) => {
    ex.set('Cache-Control', 'no-store');
    const user = await deps.identity.identify(view, known);
    if (!user) throw new KeywardError('unauthenticated');
    ex.body = whoamiBody(user, ex.state.sessionExpiresAt);
  };

  return { authz, whoami };
}

export type ForwardAuthChecks = ReturnType<typeof createForwardAuthChecks>;
