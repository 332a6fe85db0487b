// Keyward as an OpenID Provider, assembled and mounted under the issuer's path (/oidc by
// default): interactions are Keyward routes (they read the Keyward session); everything else
// is oidc-provider's, served on the same request with the Keyward side in the request scope.
import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage/port.js';
import type { SessionAccess } from '../http/sessionAccess.js';
import type { SessionView } from '../session/sessionState.js';
import { endSession } from '../http/sessionMiddleware.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { AttemptGuard } from '../guard/createAttemptGuard.js';
import type { SigningKeyRing } from '../protect/createSigningKeyRing.js';
import { createOidcProvider } from './createOidcProvider.js';
import { createProviderHolder } from './providerHolder.js';
import { createRequestScope, type KeywardRequest } from './requestScope.js';
import { loadClientsFile } from './loadClients.js';
import { interactionRoutes } from './interactionRoutes.js';
import { guardClientSecrets } from './clientAuthGuard.js';
import { auditOidcEvents } from './oidcAudit.js';

export interface OidcModuleDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  access: SessionAccess;
  ring: SigningKeyRing;
  /** Keyward's session middleware: interactions and sign-out read the Keyward session. */
  session: Middleware;
  audit: AuditLog;
  guard: AttemptGuard;
}

export function createOidcModule(deps: OidcModuleDeps) {
  const { config, storage, clock, access } = deps;
  const { issuer } = config.oidc;
  const prefix = new URL(issuer).pathname.replace(/\/$/, '');
  const scope = createRequestScope();
  const clients = loadClientsFile(config.oidc.clientsFile, { mfaRequired: config.mfaRequired });
  const interactionPath = (uid: string) => `${prefix}/interaction/${uid}`;
  const handlers = new WeakMap<Provider, ReturnType<Provider['callback']>>();

  const holder = createProviderHolder({
    ring: deps.ring,
    clock,
    build(keys) {
      const provider = createOidcProvider({
        issuer,
        keys,
        store: storage.oidc,
        users: storage.users,
        clock,
        clients,
        cookieKeys: config.sessionSecrets,
        trustProxy: config.trustProxy,
        sessionMaxAgeSeconds: config.sessionMaxAgeSeconds,
        scope,
        interactionPath,
      });
      // As Keyward's own app: behind a proxy, the client is the last X-Forwarded-For entry.
      provider.maxIpsCount = 1;
      guardClientSecrets(provider, deps.guard, scope);
      provider.use(async (ctx, next) => {
        await next();
        const request = scope.current();
        const route = (ctx as unknown as { oidc?: { route?: string } }).oidc?.route;
        if (request && route) request.route = route;
      });
      auditOidcEvents(provider, deps.audit);
      return provider;
    },
  });

  const interactions = interactionRoutes({
    prefix,
    issuer,
    signInUrl: config.protect.signInUrl,
    access,
    store: storage.oidc,
    clock,
    provider: () => holder.current(),
  });

  const endSessionConfirm = `${prefix}/session/end/confirm`;

  /**
   * Reads the Keyward session (and signs out of it for RP-initiated logout), with the session
   * middleware finished before the provider answers: whatever it has to send (a renewed or
   * cleared cookie) goes out with the response instead of after it.
   */
  async function keywardSide(ctx: Context): Promise<SessionView | null> {
    let view: SessionView | null = null;
    await deps.session(ctx, async () => {
      const current = access.view(ctx);
      if (ctx.method === 'POST' && ctx.path === endSessionConfirm && current.userId) {
        // RP-initiated logout: the OIDC session is the Keyward session, so Keyward signs out
        // too. Done as its own response, then the browser repeats the same POST (307) to the
        // provider without the Keyward cookie. Only the sign-out page (oidcPages.ts) posts
        // here, and the cookie is SameSite=Lax.
        endSession(ctx);
        ctx.redirect(ctx.originalUrl);
        ctx.status = 307;
        return;
      }
      view = current;
    });
    return view;
  }

  async function delegate(ctx: Context, view: SessionView): Promise<void> {
    const provider = await holder.current();
    let handle = handlers.get(provider);
    if (!handle) handlers.set(provider, (handle = provider.callback()));
    const req = ctx.req as typeof ctx.req & { originalUrl?: string };
    // oidc-provider works out its mount path from originalUrl versus url.
    req.originalUrl = ctx.originalUrl;
    const rest = ctx.originalUrl.slice(prefix.length);
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    // Provider pages post to the relying party (form_post) and to its own endpoints.
    const csp = ctx.response.get('Content-Security-Policy');
    if (csp) ctx.set('Content-Security-Policy', csp.replace(/form-action [^;]*;?/, ''));
    ctx.respond = false;
    const request: KeywardRequest = { view, ip: ctx.ip, res: ctx.res };
    await scope.run(request, () => handle(req, ctx.res));
    // Keyward's HTTP metrics label requests by route template; these get the provider's route.
    const matched = [{ path: `${prefix}/{${request.route ?? 'unmatched'}}`, methods: [ctx.method] }];
    Object.assign(ctx, { matched });
  }

  const routes = interactions.routes() as Middleware;
  const inside = (path: string) => path === prefix || path.startsWith(`${prefix}/`);
  const mounted: Middleware = async (ctx, next) => {
    if (ctx.path.startsWith(`${prefix}/interaction/`)) return deps.session(ctx, () => routes(ctx, next));
    const view = await keywardSide(ctx);
    if (view) await delegate(ctx, view);
  };

  const middleware: Middleware = (ctx, next) => (inside(ctx.path) ? mounted(ctx, next) : next());
  return { middleware, issuer, provider: () => holder.current() };
}
