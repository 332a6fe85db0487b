// The provider as Keyward runs it: oidc-provider built with Keyward's keys, its client
// secrets guarded against guessing, its events audited. Imported only when the provider is
// first needed (createOidcModule.ts): everything oidc-provider loads stays out of memory until then.
import type Provider from 'oidc-provider';
import type { JWK } from 'oidc-provider';
import type { AttemptGuard } from '../guard/createAttemptGuard.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import { createOidcProvider, type OidcProviderDeps } from './createOidcProvider.js';
import { guardClientSecrets } from './clientAuthGuard.js';
import { auditOidcEvents } from './oidcAudit.js';
import { DEVICE_POLL_INTERVAL, slowDownFastPolling } from './slowDown.js';
import { sidIsKeywardSession, type OwedLogout } from './keywardSid.js';

export interface BuildProviderDeps extends Omit<OidcProviderDeps, 'keys'> {
  guard: AttemptGuard;
  audit: AuditLog;
  /** Where a session's clients are owed a logout token (backchannelLogout.ts). */
  oweLogouts: (logouts: OwedLogout[]) => Promise<void>;
}

export function buildProvider(keys: JWK[], deps: BuildProviderDeps): Provider {
  const provider = createOidcProvider({ ...deps, keys });
  // As Keyward's own app: behind a proxy, the client is the last X-Forwarded-For entry.
  provider.maxIpsCount = 1;
  guardClientSecrets(provider, deps.guard, deps.scope);
  provider.use(async (ctx, next) => {
    await next();
    const request = deps.scope.current();
    const route = (ctx as unknown as { oidc?: { route?: string } }).oidc?.route;
    if (request && route) request.route = route;
  });
  auditOidcEvents(provider, deps.audit, deps.scope);
  slowDownFastPolling(provider, { once: deps.guard.once, intervalSeconds: DEVICE_POLL_INTERVAL });
  sidIsKeywardSession(provider, deps.scope, deps.oweLogouts);
  return provider;
}
