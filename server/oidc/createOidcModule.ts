// Keyward as an OpenID Provider, assembled and mounted under the issuer's path (/oidc by
// default): interactions are Keyward routes (they read the Keyward session); everything else
// is oidc-provider's, served on the same request with the Keyward side in the request scope.
import type { Context, Middleware, Next } from 'koa';
import type Provider from 'oidc-provider';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage/port.js';
import type { SessionAccess } from '../http/sessionAccess.js';
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

  async function delegate(ctx: Context): Promise<void> {
    const view = access.view(ctx);
    if (ctx.method === 'POST' && ctx.path === endSessionConfirm && view.userId) {
      // RP-initiated logout: the OIDC session is the Keyward session, so Keyward signs out
      // too. Done as its own response (the cookie must be cleared before the provider
      // answers), then the browser repeats the same POST (307) to the provider without it.
      // Only the sign-out page (oidcPages.ts) posts here, and the cookie is SameSite=Lax.
      endSession(ctx);
      ctx.redirect(ctx.originalUrl);
      ctx.status = 307;
      return;
    }
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
  const inner = (ctx: Context, next: Next) => (ctx.path.startsWith(`${prefix}/interaction/`) ? routes(ctx, next) : delegate(ctx));
  const mounted: Middleware = (ctx, next) => deps.session(ctx, () => inner(ctx, next));

  const middleware: Middleware = (ctx, next) => (inside(ctx.path) ? mounted(ctx, next) : next());
  return { middleware, issuer, provider: () => holder.current() };
}
