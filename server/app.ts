// createApp(deps): the Koa app with its middleware in one readable order. No listen():
// tests and the bench mount it on their own servers.
import Koa from 'koa';
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import Router from '@koa/router';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock, Random } from './clock.js';
import type { Storage, UserRecord } from './storage/port.js';
import { KeywardError } from './errors.js';
import { createPasswordHasher, type PasswordHasher } from './accounts/passwordHasher.js';
import { createAccountService } from './accounts/createAccountService.js';
import { createSessionService } from './session/createSessionService.js';
import { createPasswordCheck } from './session/createPasswordCheck.js';
import { createDirectoryAccounts, type DirectoryAccounts } from './accounts/createDirectoryAccounts.js';
import { createLdapDirectory } from './directory/createLdapDirectory.js';
import type { PasswordDirectory } from './session/passwordDirectory.js';
import { createFactorDirectory, type FactorProvider } from './session/factorDirectory.js';
import type { FactorAddedListener } from './session/enrollment.js';
import { createAuditLog } from './audit/createAuditLog.js';
import { createSessionAccess } from './http/sessionAccess.js';
import { createDeviceCookies } from './http/deviceCookie.js';
import { createWebAuthnModule } from './webauthn/createWebAuthnModule.js';
import { createAttemptGuard } from './guard/createAttemptGuard.js';
import { createGuardedAttempts } from './guard/createGuardedAttempts.js';
import { reportLockout } from './guard/reportLockout.js';
import { createNotifier } from './notices/createNotifier.js';
import { createNoticeMailer, createOutboundChannels } from './notices/createOutboundChannels.js';
import { createNoticeAddressService } from './notices/createNoticeAddressService.js';
import { noticeAddressRoutes } from './http/routes/noticeAddressRoutes.js';
import { meRoutes } from './http/routes/meRoutes.js';
import { createAdminService } from './admin/createAdminService.js';
import { createPasswordResetService } from './passwordReset/createPasswordResetService.js';
import { passwordResetRoutes } from './http/routes/passwordResetRoutes.js';
import { adminRoutes } from './http/routes/adminRoutes.js';
import { createTotpModule } from './totp/createTotpModule.js';
import { createRecoveryModule } from './recovery/createRecoveryModule.js';
import { createProtectModule } from './protect/createProtectModule.js';
import { unknownMethods } from './http/unknownMethods.js';
import { methodNotAllowed } from './http/methodNotAllowed.js';
import { errorHandler } from './http/errorHandler.js';
import { singleForwardedValues } from './http/singleForwardedValues.js';
import { requestContext } from './http/requestContext.js';
import { securityHeaderList, securityHeaders } from './http/securityHeaders.js';
import { brandingRoutes } from './http/routes/brandingRoutes.js';
import { originCheck } from './http/originCheck.js';
import { jsonBody } from './http/jsonBody.js';
import { createSessionLayer, sessionMiddleware } from './http/sessionMiddleware.js';
import { rememberLanguage } from './http/rememberLanguage.js';
import { leanForwardAuth } from './http/forwardAuth/leanForwardAuth.js';
import { KeywardApp } from './http/keywardApp.js';
import { HEALTH_PATHS, healthRoutes } from './http/routes/healthRoutes.js';
import { createInFlightGate, inFlightLimit } from './http/inFlightLimit.js';
import { mdsMetrics } from './metrics/mdsMetrics.js';
import { sessionRoutes } from './http/routes/sessionRoutes.js';
import { mySessionsRoutes } from './http/routes/mySessionsRoutes.js';
import { createSessionControl } from './session/createSessionControl.js';
import { staticClient } from './http/staticClient.js';
import { createMetrics, type Metrics } from './metrics/createMetrics.js';
import { createHttpRecorder, httpMetrics } from './metrics/httpMetrics.js';
import { auditMetrics } from './metrics/auditMetrics.js';
import { timedStorage } from './metrics/timedStorage.js';
import { metricsRoutes, type MetricsSource } from './metrics/metricsRoutes.js';
import { OPENAPI_PATH, openApiRoutes } from './http/openapi/openApiRoutes.js';
import { createInvitationService } from './access/createInvitationService.js';
import { createSignUpLimit } from './access/createSignUpLimit.js';
import { createSignupService } from './access/createSignupService.js';
import { signupRoutes } from './http/routes/signupRoutes.js';
import { createPasskeyAccounts } from './accounts/createPasskeyAccounts.js';
import { passkeyAccountRoutes } from './http/routes/passkeyAccountRoutes.js';
import { createRulesHolder, type RulesHolder } from './access/rules/createRulesHolder.js';
import { createOidcModule } from './oidc/createOidcModule.js';
import { createMdsService } from './mds/createMdsService.js';
import { FIDO_MDS_ROOT_PEM } from './mds/fidoRoot.js';
import { endOidcOf, endOidcWithSession, type OidcLogout } from './oidc/endOidcWithSession.js';
import { endExpiredSessions } from './oidc/endExpiredSessions.js';
import { createBackchannelLogout } from './oidc/backchannelLogout.js';
import './http/context.js';

export interface AppDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Defaults to Argon2id at OWASP parameters. */
  hasher?: PasswordHasher;
  /** The built client to serve; none in API-only tests. */
  clientDir?: string | undefined;
  /** main.ts passes its own to serve them on METRICS_PORT; otherwise the app makes one. */
  metrics?: Metrics;
  /** What a public /metrics shows; default: this app's own registry (a cluster passes the sum). */
  metricsSource?: MetricsSource;
  /** ACCESS_RULES_FILE, loaded by main.ts (which reloads it); otherwise loaded here when set. */
  accessRules?: RulesHolder;
  /**
   * Trust anchors for FIDO metadata blobs; default: the FIDO Alliance root. Only tests pass
   * their own (a test CA standing in for the FIDO root): deliberately not a setting.
   */
  mdsRoots?: X509Certificate[];
  /** The organisation's directory; default: LDAP from config.directory when set. */
  directory?: PasswordDirectory;
}

export function createApp(given: AppDeps): KeywardApp & { background: BackgroundWork } {
  const metrics = given.metrics ?? createMetrics();
  // Every storage call is timed (database latency); everything below sees the timed one.
  const deps = { ...given, metrics, storage: timedStorage(given.storage, metrics) };
  const { config, storage, random, logger } = deps;
  // maxIpsCount 1: behind a trusted proxy, the client is the address that proxy saw (the last
  // X-Forwarded-For entry), not whatever the client itself put at the front of the header.
  const app = new KeywardApp({ proxy: config.trustProxy, maxIpsCount: 1 });
  // Koa would print every error itself; errorHandler already logs what matters.
  app.silent = true;
  const { api, wellKnown, session, sessionLayer, sessionStore, access, protect, audit, guard, mds, oidcLogoutListeners, endExpired } = createKeywardRouters(app, deps);
  const backchannel = createBackchannelLogout({ queue: storage.logoutQueue, clock: deps.clock, random, logger, provider: () => oidc.provider() });
  oidcLogoutListeners.push(backchannel.onSessionsEnded);
  const oidc = createOidcModule({
    config,
    storage,
    clock: deps.clock,
    access,
    ring: protect.ring,
    session,
    sessions: sessionStore,
    audit,
    guard,
    clientDir: deps.clientDir,
    oweLogouts: backchannel.owe,
  });

  // Shared by the Koa stack and the lean forward-auth handler in front of it.
  const record = createHttpRecorder(metrics);
  const gate = createInFlightGate({ max: config.maxRequestsInFlight });
  const security = { secure: config.cookieSecure, logoUrl: config.brand.logoUrl };
  app.serveInFront(
    leanForwardAuth({
      checks: protect.forwardAuth,
      session: sessionLayer,
      viewOf: access.viewOf,
      gate,
      record,
      securityHeaders: securityHeaderList(security),
      logger,
      clock: deps.clock,
      random,
      trustProxy: config.trustProxy,
      koa: app,
    }),
  );

  app.use(requestContext(logger, random, config.trustProxy));
  // Outside the error handler, so it sees the status actually sent.
  app.use(httpMetrics(record));
  app.use(errorHandler());
  // Before anything reads the host or scheme.
  app.use(singleForwardedValues({ trustProxy: config.trustProxy }));
  app.use(securityHeaders(security));
  // Early: a request refused for being one too many costs nothing below (no session, no body).
  app.use(inFlightLimit({ max: config.maxRequestsInFlight, exempt: HEALTH_PATHS, gate }));
  app.use(unknownMethods((path) => methodsOf(api, path)));
  app.use(methodNotAllowed((path) => methodsOf(api, path)));
  const health = healthRoutes(storage, mds);
  mdsMetrics(metrics.registry, mds, deps.clock);
  app.use(health.routes());
  // Single sign-on under the issuer's path (its own discovery, JWKS and endpoints).
  app.use(oidc.middleware);
  app.use(wellKnown.routes());
  // Before the API router: its catch-all would answer 404 first.
  app.use(openApiRoutes(config).routes());
  if (config.metrics.public) app.use(metricsRoutes(deps.metricsSource ?? metrics.registry).routes());
  app.use(api.routes());
  app.use(api.allowedMethods());
  if (deps.clientDir) app.use(staticClient(deps.clientDir));
  const background: BackgroundWork = {
    endExpiredSessions: endExpired,
    deliverLogouts: async () => {
      await backchannel.runDue();
    },
    async run() {
      await endExpired();
      await backchannel.runDue();
    },
  };
  return Object.assign(app, { background });
}

/** What runs beside requests, on a timer (runServer.ts) or when a test says so. */
export interface BackgroundWork {
  /** Ends the single sign-on of sessions that expired (their clients are owed logout tokens). */
  endExpiredSessions(): Promise<void>;
  /** Delivers the back-channel logouts due (retries; new ones start at once anyway). */
  deliverLogouts(): Promise<void>;
  /** Both, in that order. */
  run(): Promise<void>;
}


/**
 * Keyward's use cases and routers, their session middleware bound to `app`: createApp's own,
 * or a Koa app hosting Keyward in-process (server/protect/createKeyward.ts).
 */
export function createKeywardRouters(app: Koa, deps: AppDeps) {
  const { config, clock, random, logger } = deps;
  // Ending a Keyward session ends the single sign-on made in it (server/oidc/endOidcWithSession.ts).
  // Told too of every end (createApp adds back-channel logout).
  const oidcLogoutListeners: ((ended: OidcLogout) => Promise<void>)[] = [];
  const onLogout = async (ended: OidcLogout) => {
    const { userId, sessions, grants, by } = ended;
    await audit.record('oidc.logout', 'success', { userId, ip: null, userAgent: null, requestId: null }, { by, sessions: sessions.length, grants: grants.length });
    for (const listener of oidcLogoutListeners) await listener(ended);
  };
  const sessionStore = endOidcWithSession({ sessions: deps.storage.sessions, oidc: deps.storage.oidc, clock, onLogout });
  // A session that expires is ended the same way, found afterwards (endExpiredSessions.ts).
  const endExpired = endExpiredSessions({ oidc: deps.storage.oidc, sessions: deps.storage.sessions, clock, end: endOidcOf({ oidc: deps.storage.oidc, onLogout }) });
  const storage: Storage = { ...deps.storage, sessions: sessionStore };
  const hasher = deps.hasher ?? createPasswordHasher();
  const ldap = deps.directory ?? (config.directory ? createLdapDirectory(config.directory, logger) : undefined);
  const accounts = createAccountService({
    users: storage.users,
    noticeAddresses: storage.noticeAddresses,
    hasher,
    clock,
    random,
    directory: ldap,
    passwordHelpUrl: config.directory?.passwordHelpUrl,
  });
  const mailer = createNoticeMailer(config);
  const notifier = createNotifier({ store: storage.notices, users: storage.users, addresses: storage.noticeAddresses, channels: createOutboundChannels(config, clock, mailer), clock, random, logger });
  const audit = createAuditLog({ store: storage.audit, clock, random, logger, listeners: [notifier.onAuditEvent, ...(deps.metrics ? [auditMetrics(deps.metrics)] : [])] });
  const policy = { mfaRequired: config.mfaRequired, pendingMfaMaxAgeMs: config.pendingMfaMaxAgeSeconds * 1000 };
  // Factor modules register what a user has (providers) and what happens when a factor is
  // added (listeners: recovery codes come with the first one).
  const providers: FactorProvider[] = [];
  const factorAdded: FactorAddedListener[] = [];
  const factors = createFactorDirectory(providers);
  const control = createSessionControl({ store: storage.sessions, audit, clock });
  const devices = createDeviceCookies({ clock, random, users: storage.users, secure: config.cookieSecure, maxAgeSeconds: config.deviceCookieMaxAgeSeconds, secrets: config.sessionSecrets });
  const access = createSessionAccess({ clock, policy, stepUpMaxAgeMs: config.stepUpMaxAgeSeconds * 1000, factors, control, devices });
  const guard = createAttemptGuard({
    store: storage.attempts,
    clock,
    limits: config.rateLimits,
    onLockout: reportLockout({ users: storage.users, audit, logger }),
  });
  const attempts = createGuardedAttempts({ guard, users: storage.users });
  const isAdmin = (u: UserRecord) => u.roles.includes('admin') || config.adminUsernames.includes(u.usernameNormalized);
  const directory: DirectoryAccounts | undefined = ldap && createDirectoryAccounts({ directory: ldap, users: storage.users, accounts, logger });
  const checkPassword = createPasswordCheck({ accounts, users: storage.users, directory, logger });
  const sessions = createSessionService({ accounts, checkPassword, factors, clock, policy, attempts, isAdmin, notices: storage.notices });
  const mds = createMdsService({ store: storage.mdsBlobs, credentials: storage.credentials, audit, clock, logger, roots: deps.mdsRoots ?? [new X509Certificate(FIDO_MDS_ROOT_PEM)] });
  if (config.mds.blobFile) mds.importAtStart(readFileSync(config.mds.blobFile, 'utf8'), config.mds.blobFile);
  const factorDeps = { config, storage, clock, random, audit, access, factorAdded, attempts, mds };
  const factorRouters: Router[] = [];
  const webauthn = createWebAuthnModule(factorDeps);
  providers.push(webauthn.provider);
  factorRouters.push(webauthn.router);
  const totp = createTotpModule(factorDeps);
  const recovery = createRecoveryModule(factorDeps);
  providers.push(totp.provider, recovery.provider);
  factorAdded.push(recovery.onFactorAdded);
  factorRouters.push(totp.router, recovery.router);

  const api = new Router({ prefix: '/api' });
  api.use(originCheck(config.origins));
  api.use(jsonBody(config.bodyLimitBytes));
  const sessionLayer = createSessionLayer({
    store: storage.sessions,
    clock,
    random,
    secrets: config.sessionSecrets,
    secure: config.cookieSecure,
    lifetime: {
      maxAgeMs: config.sessionMaxAgeSeconds * 1000,
      idleTimeoutMs: config.sessionIdleTimeoutSeconds * 1000,
      ceremonyMaxAgeMs: config.webauthnTimeoutSeconds * 1000,
    },
    domain: config.cookieDomain,
  });
  const session = sessionMiddleware(sessionLayer);
  api.use(session);
  api.use(rememberLanguage({ users: storage.users, access, clock }));
  const password = { min: config.passwordMinLength, max: config.passwordMaxLength };
  const invitations = createInvitationService({
    invitations: storage.invitations,
    users: storage.users,
    accounts,
    hasher,
    audit,
    clock,
    random,
    origin: config.origins[0]!,
    defaultTtlSeconds: config.access.invitationTtlSeconds,
    invitationsAccepted: config.access.signup !== 'closed',
  });
  const signup = createSignupService({ mode: config.access.signup, emailDomains: config.access.signupEmailDomains, accounts, invitations, audit });
  const passwords = config.access.passwords;
  const signUpLimit = createSignUpLimit({ attempts, invitations });
  const routes = sessionRoutes({ access, audit, accounts, sessions, signup, signUpLimit, password, passwords });
  api.use(routes.routes(), routes.allowedMethods());
  const brandingApi = brandingRoutes({ ...config.brand, passwordHelpUrl: config.directory?.passwordHelpUrl ?? null });
  api.use(brandingApi.routes(), brandingApi.allowedMethods());
  const signupApi = signupRoutes({ signup, emailDomains: config.access.signupEmailDomains, invitations, sessions, password, passwords });
  api.use(signupApi.routes(), signupApi.allowedMethods());
  const keyModel = (aaguid: string) => mds.keyModel(aaguid);
  const passkeys = createPasskeyAccounts({ passwords, registration: webauthn.registration, signup, invitations, users: storage.users, credentials: storage.credentials, factorAdded, random });
  const passkeyApi = passkeyAccountRoutes({ passkeys, access, audit, attempts, signUpLimit, random, keyModel });
  api.use(passkeyApi.routes(), passkeyApi.allowedMethods());
  for (const r of factorRouters) api.use(r.routes(), r.allowedMethods());
  const me = meRoutes({ access, audit: storage.audit, notices: storage.notices, clock });
  api.use(me.routes(), me.allowedMethods());
  const mySessions = mySessionsRoutes({
    access,
    control,
    accounts,
    attempts,
    audit,
    password,
    passwords,
    cancelResetLinks: (userId) => storage.invitations.removeForUser(userId, 'password_reset'),
    hasPasskey: async (userId) => (await storage.credentials.countByUser(userId)) > 0,
  });
  api.use(mySessions.routes(), mySessions.allowedMethods());
  const addresses = createNoticeAddressService({
    store: storage.noticeAddresses,
    mailer,
    clock,
    random,
    logger,
    productName: config.rpName,
    confirmUrl: (token) => `${config.origins[0]}/confirm-email?token=${encodeURIComponent(token)}`,
  });
  const addressApi = noticeAddressRoutes({ addresses, access, audit, users: storage.users });
  api.use(addressApi.routes(), addressApi.allowedMethods());
  const resets = createPasswordResetService({
    users: storage.users,
    addresses: storage.noticeAddresses,
    links: storage.invitations,
    guard,
    factors,
    hasher,
    audit,
    mailer,
    clock,
    random,
    logger,
    productName: config.rpName,
    ttlSeconds: config.passwordResetTtlSeconds,
    passwordsOff: config.access.passwords === 'off',
    passwordHelpUrl: config.directory?.passwordHelpUrl,
    resetUrl: (token) => `${config.origins[0]}/reset-password?token=${encodeURIComponent(token)}`,
  });
  const resetApi = passwordResetRoutes({ resets, access, control, audit, clock, password, passwords, passkeys, hasSecondFactor: access.hasSecondFactor, random, keyModel });
  api.use(resetApi.routes(), resetApi.allowedMethods());
  const admin = createAdminService({ storage, factors, guard, audit, isAdmin, modelName: (aaguid) => mds.modelName(aaguid), enrolmentLink: invitations.enrolmentLink });
  const adminApi = adminRoutes({ admin, access, users: storage.users, invitations });
  api.use(adminApi.routes(), adminApi.allowedMethods());
  const rules = deps.accessRules ?? (config.access.rulesFile ? createRulesHolder(config.access.rulesFile, logger) : undefined);
  const protect = createProtectModule({ config, storage, clock, random, access, audit, rules, clientDir: deps.clientDir, directory, logger });
  for (const r of protect.routers) api.use(r.routes(), r.allowedMethods());
  // Last in the chain: no route took the request. A path that exists under other methods is
  // a 405 naming them (RFC 9110), anything else a 404, both in the API's error format.
  api.all('/{*rest}', (ctx) => {
    const allowed = methodsOf(api, ctx.path);
    if (allowed.length === 0) throw new KeywardError('not_found', 'No such API route.');
    const allow = allowed.join(', ');
    throw new KeywardError('method_not_allowed', `Use ${allow} here.`, undefined, { Allow: allow });
  });
  return { api, wellKnown: protect.wellKnown, session, sessionLayer, sessionStore, access, protect, audit, guard, mds, oidcLogoutListeners, endExpired };
}

/** The methods the API's routes take at `path` (none for a path outside the API). */
function methodsOf(api: Router, path: string): string[] {
  // Served before the API router (its own router), but an /api path all the same.
  if (path === OPENAPI_PATH) return ['HEAD', 'GET'];
  const routes = api.match(path, 'GET').path.filter((l) => l.path !== '/api/{*rest}' && l.methods.length > 0);
  // A literal path wins over a parameter: "revoke-others" is not a session id.
  const literal = routes.filter((l) => l.paramNames.length === 0);
  return [...new Set((literal.length ? literal : routes).flatMap((l) => l.methods))];
}
