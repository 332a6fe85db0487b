// Protecting other apps, assembled: forward-auth, whoami, session tokens and their keys.
import type Router from '@koa/router';
import type { Config } from '../config.js';
import type { Clock, Random } from '../clock.js';
import type { Storage } from '../storage/port.js';
import type { SessionAccess } from '../http/sessionAccess.js';
import { authzRoutes } from '../http/routes/authzRoutes.js';
import { createForwardAuthChecks } from '../http/forwardAuth/forwardAuthChecks.js';
import { tokenRoutes } from '../http/routes/tokenRoutes.js';
import { jwksRoutes } from '../http/routes/jwksRoutes.js';
import { createSecretSealer } from '../totp/createSecretSealer.js';
import { createSessionIdentity } from './createSessionIdentity.js';
import { createAuthz } from './createAuthz.js';
import { createReturnAddressPolicy } from './returnAddress.js';
import { createRotationSchedule } from './rotationSchedule.js';
import { createSigningKeyRing } from './createSigningKeyRing.js';
import { createTokenIssuer } from './createTokenIssuer.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { RulesHolder } from '../access/rules/createRulesHolder.js';
import { createAccessControl } from '../access/createAccessControl.js';
import { createDeniedAccessAudit } from '../access/createDeniedAccessAudit.js';
import { pageLook } from '../http/pages/pageLook.js';
import type { Logger } from 'pino';
import type { SessionIdentityDeps } from './createSessionIdentity.js';

export interface ProtectModuleDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  random: Random;
  access: SessionAccess;
  audit: AuditLog;
  /** ACCESS_RULES_FILE, loaded; undefined: `?aal=` alone decides forward-auth. */
  rules?: RulesHolder | undefined;
  /** The built client, whose look the no-access page wears (none in API-only servers). */
  clientDir?: string | undefined;
  /** Directory people looked up again at each identity check (createSessionIdentity.ts). */
  directory?: SessionIdentityDeps['directory'];
  logger?: Logger;
}

/** The longest token lifetime TOKEN_TTL allows: an old key outlives any token it signed. */
const MAX_TOKEN_TTL_MS = 900_000;
// Verifiers' clocks and ours differ a little; keep retired keys published a minute longer.
const CLOCK_MARGIN_MS = 60_000;
// Three JWKS cache lifetimes, and more than jose's 10-minute default cache.
const PUBLISH_AHEAD_MS = 900_000;

export function createProtectModule(deps: ProtectModuleDeps) {
  const { config, storage, clock, random, access } = deps;
  const p = config.protect;
  const identity = createSessionIdentity({ users: storage.users, clock, directory: deps.directory, ...(deps.logger && { logger: deps.logger }) });
  const authz = createAuthz({ identity, returnAddresses: createReturnAddressPolicy(p.returnDomains), signInUrl: p.signInUrl });
  const ring = createSigningKeyRing({
    store: storage.signingKeys,
    sealer: createSecretSealer({ keys: config.totpEncryptionKeys, random }),
    schedule: createRotationSchedule({
      periodMs: p.signingKeyRotationSeconds * 1000,
      publishAheadMs: PUBLISH_AHEAD_MS,
      retireAfterMs: MAX_TOKEN_TTL_MS + CLOCK_MARGIN_MS,
    }),
  });
  const tokens = createTokenIssuer({ ring, clock, random, issuer: p.tokenIssuer, audience: p.tokenAudience, ttlSeconds: p.tokenTtlSeconds });

  const checks = {
    authz,
    identity,
    trustProxy: config.trustProxy,
    look: pageLook(config, deps.clientDir),
    rules: deps.rules && {
      control: createAccessControl({ identity, rules: deps.rules }),
      auditDenied: createDeniedAccessAudit({ audit: deps.audit, clock }),
    },
  };
  // One set of checks: the Koa route serves them, and so does the lean handler in front of Koa (app.ts).
  const forwardAuth = createForwardAuthChecks(checks);
  const routers: Router[] = [authzRoutes({ ...checks, access }, forwardAuth), tokenRoutes({ access, identity, tokens })];
  return { routers, forwardAuth, wellKnown: jwksRoutes({ ring, clock }), authz, identity, ring };
}

export type ProtectModule = ReturnType<typeof createProtectModule>;
