// Keyward as an OpenID Provider, assembled and mounted under the issuer's path (/oidc by
// default): interactions are Keyward routes (they read the Keyward session); everything else
// is oidc-provider's, served on the same request with the Keyward side in the request scope.
import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Config } from '../config.js';
import type { Clock } from '../clock.js';
import type { SessionStore, Storage } from '../storage/port.js';
import { requestOrigin, type SessionAccess } from '../http/sessionAccess.js';
import type { SessionView } from '../session/sessionState.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { AttemptGuard } from '../guard/createAttemptGuard.js';
import type { SigningKeyRing } from '../protect/createSigningKeyRing.js';
import { createProviderHolder } from './providerHolder.js';
import { createRequestScope, type KeywardRequest } from './requestScope.js';
import { loadClientsFile } from './loadClients.js';
import { interactionRoutes } from './interactionRoutes.js';
import { supportedAcrValues } from './authLevel.js';
import { pageLook } from '../http/pages/pageLook.js';
import { reachableLevel } from './reachableLevel.js';
import { withOfflineConsent } from './offlineAccessPrompt.js';
import { deviceEntryGuard } from './deviceEntryGuard.js';
import { devicePages } from './devicePages.js';
import type { OwedLogout } from './keywardSid.js';
import { endSessionByIdToken } from './backendLogout.js';
import { frontChannelFrames, holdConfirmedLogout } from './frontchannelLogout.js';
import { storedClientScopes } from './storedClientScopes.js';
import { providerPages } from './oidcPages.js';

export interface OidcModuleDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  access: SessionAccess;
  ring: SigningKeyRing;
  /** Keyward's session middleware: interactions and sign-out read the Keyward session. */
  session: Middleware;
  /** Keyward's session store, ending single sign-on with the session (endOidcWithSession.ts). */
  sessions: SessionStore;
  audit: AuditLog;
  guard: AttemptGuard;
  /** The built client, whose stylesheet the server-rendered pages use (none in API-only servers). */
  clientDir?: string | undefined;
  /** Queues back-channel logout tokens (backchannelLogout.ts). */
  oweLogouts: (logouts: OwedLogout[]) => Promise<void>;
}

const handleOf = (ctx: Context) => ctx.session?.record?.publicId ?? null;

interface KeywardSide {
  view: SessionView;
  /** The Keyward session's public handle and stored id hash (null without a session). */
  sessionHandle: string | null;
  idHash: string | null;
}

function keywardRequest(ctx: Context, side: Pick<KeywardSide, 'view' | 'sessionHandle'>): KeywardRequest {
  const { userAgent, requestId } = requestOrigin(ctx);
  return { view: side.view, sessionHandle: side.sessionHandle, ip: ctx.ip, request: { userAgent, requestId }, res: ctx.res };
}

export function createOidcModule(deps: OidcModuleDeps) {
  const { config, storage, clock, access } = deps;
  const { issuer } = config.oidc;
  const prefix = new URL(issuer).pathname.replace(/\/$/, '');
  const scope = createRequestScope();
  const clients = loadClientsFile(config.oidc.clientsFile, { mfaRequired: config.mfaRequired });
  const interactionPath = (uid: string) => `${prefix}/interaction/${uid}`;
  const handlers = new WeakMap<Provider, ReturnType<Provider['callback']>>();
  const look = pageLook(config, deps.clientDir);

  const holder = createProviderHolder({
    ring: deps.ring,
    clock,
    storedScopes: () => storedClientScopes(storage.oidc),
    // oidc-provider (and what builds on it) is loaded at the first request that needs the
    // provider: a deployment that never serves single sign-on does not carry it in memory.
    build: async (keys, storedScopes) =>
      (await import('./buildProvider.js')).buildProvider(keys, {
        issuer,
        store: storage.oidc,
        users: storage.users,
        addresses: storage.noticeAddresses,
        clock,
        clients,
        storedScopes,
        cookieKeys: config.sessionSecrets,
        trustProxy: config.trustProxy,
        sessionMaxAgeSeconds: config.sessionMaxAgeSeconds,
        scope,
        interactionPath,
        look,
        defaultAlg: config.oidc.defaultAlg,
        acrValues: supportedAcrValues(config.attestationPolicy),
        devicePages: devicePages({ look, scope, users: storage.users }),
        guard: deps.guard,
        audit: deps.audit,
        oweLogouts: deps.oweLogouts,
      }),
  });

  const interactions = interactionRoutes({
    prefix,
    issuer,
    signInUrl: config.protect.signInUrl,
    access,
    store: storage.oidc,
    clock,
    provider: () => holder.current(),
    look,
    users: storage.users,
    canReach: reachableLevel({ hasSecondFactor: access.hasSecondFactor, credentials: storage.credentials, attestationPolicy: config.attestationPolicy }),
  });

  const device = deviceEntryGuard({ prefix, issuer, signInUrl: config.protect.signInUrl, guard: deps.guard, look });
  const endSessionConfirm = `${prefix}/session/end/confirm`;
  const endSession = `${prefix}/session/end`;
  const { postLogoutSuccessSource } = providerPages(look);
  // OAuth 2.0 Authorization Server Metadata (RFC 8414 §3.1): for an issuer with a path, the
  // well-known segment goes between host and path. OIDC discovery stays under the issuer.
  const metadataPath = `/.well-known/oauth-authorization-server${prefix}`;

  /**
   * Reads the Keyward session, with the session middleware finished before the provider
   * answers: whatever it has to send (a renewed cookie) goes out with the response instead of
   * after it.
   */
  async function keywardSide(ctx: Context): Promise<KeywardSide> {
    let side: KeywardSide | null = null;
    await deps.session(ctx, async () => {
      side = { view: access.view(ctx), sessionHandle: handleOf(ctx), idHash: ctx.session?.record?.idHash ?? null };
    });
    return side!;
  }

  /** `url`: what the provider is asked instead of the request's own address (deviceEntryGuard.ts). */
  async function delegate(ctx: Context, side: KeywardSide, url?: string, deviceEntry?: KeywardRequest['deviceEntry']): Promise<void> {
    const provider = await holder.current();
    let handle = handlers.get(provider);
    if (!handle) handlers.set(provider, (handle = provider.callback()));
    const req = ctx.req as typeof ctx.req & { originalUrl?: string };
    const metadata = ctx.path === metadataPath;
    // The RFC 8414 address is answered by the provider's own discovery document: one source
    // for both, with its headers (caching, CORS) and its endpoints under the issuer.
    const asked = metadata ? `${prefix}/.well-known/openid-configuration${ctx.search}` : (url ?? ctx.originalUrl);
    // oidc-provider works out its mount path from originalUrl versus url.
    req.originalUrl = asked;
    const rest = asked.slice(prefix.length);
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    if (ctx.method === 'GET' && req.url.startsWith('/auth?')) {
      const query = withOfflineConsent(req.url.slice('/auth?'.length));
      if (query !== null) {
        req.url = `/auth?${query}`;
        // The mount path is what originalUrl has before url: both change together.
        req.originalUrl = `${prefix}${req.url}`;
      }
    }
    // Provider pages post to the relying party (form_post) and to its own endpoints.
    const csp = ctx.response.get('Content-Security-Policy');
    if (csp) ctx.set('Content-Security-Policy', csp.replace(/form-action [^;]*;?/, ''));
    ctx.respond = false;
    const request: KeywardRequest = { ...keywardRequest(ctx, side), ...(deviceEntry && { deviceEntry }) };
    try {
      await scope.run(request, () => handle(req, ctx.res));
    } finally {
      // Back to what the client asked for: the access log (and anything else above) reads
      // ctx.path, which would otherwise be the provider's /token instead of /oidc/token.
      req.url = ctx.originalUrl;
    }
    // Keyward's HTTP metrics label requests by route template; these get the provider's route.
    const matched = [{ path: metadata ? metadataPath : `${prefix}/{${request.route ?? 'unmatched'}}`, methods: [ctx.method] }];
    Object.assign(ctx, { matched });
  }

  const routes = interactions.routes() as Middleware;
  const inside = (path: string) => path === prefix || path.startsWith(`${prefix}/`);
  const mounted: Middleware = async (ctx, next) => {
    if (ctx.path.startsWith(`${prefix}/interaction/`)) {
      // In the scope too: the consent page saves the grant, tagged with this Keyward session.
      return deps.session(ctx, () => scope.run(keywardRequest(ctx, { view: access.view(ctx), sessionHandle: handleOf(ctx) }), () => routes(ctx, next)));
    }
    const side = await keywardSide(ctx);
    if (device.handles(ctx)) return device.serve(ctx, side, (url, entry) => delegate(ctx, side, url, entry));
    const hint = ctx.query['id_token_hint'];
    if (ctx.method === 'GET' && ctx.path === endSession && !side.idHash && typeof hint === 'string') {
      // A relying party's server signing the person out (backendLogout.ts); a browser (with
      // its Keyward cookie) gets the provider's confirmation page as ever.
      const userId = await endSessionByIdToken(await holder.current(), hint, deps.sessions);
      if (userId) {
        const { userAgent, requestId } = requestOrigin(ctx);
        await deps.audit.record('oidc.logout', 'success', { userId, ip: ctx.ip, userAgent, requestId }, { by: 'backend' });
        ctx.set('Cache-Control', 'no-store');
        postLogoutSuccessSource(ctx as never);
        return;
      }
    }
    // Read before delegating: the provider is handed the path without the prefix.
    const confirmsLogout = ctx.method === 'POST' && ctx.path === endSessionConfirm;
    if (confirmsLogout) {
      // RP-initiated logout, once confirmed (the provider checked its xsrf token and ended its
      // own session): the OIDC session is the Keyward session, so Keyward's ends too, with
      // every grant made in it, before the answer goes out.
      const frames = await frontChannelFrames(await holder.current(), ctx);
      const idHash = side.idHash;
      holdConfirmedLogout(ctx, { frames, look, beforeSending: async () => (idHash ? deps.sessions.destroy(idHash) : undefined) });
    }
    await delegate(ctx, side);
  };

  const middleware: Middleware = (ctx, next) => (inside(ctx.path) || ctx.path === metadataPath ? mounted(ctx, next) : next());
  return { middleware, issuer, provider: () => holder.current() };
}
