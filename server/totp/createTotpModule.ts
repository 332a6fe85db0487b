// The authenticator-app factor, assembled: its use cases, routes and factor provider.
import type { FactorModuleDeps } from '../session/factorModuleDeps.js';
import { totpRoutes } from '../http/routes/totpRoutes.js';
import { createTotpService } from './createTotpService.js';

export type TotpModuleDeps = FactorModuleDeps;

export function createTotpModule(deps: TotpModuleDeps) {
  const { config, storage, clock, random, access } = deps;
  const totp = createTotpService({ config, store: storage.totp, users: storage.users, clock, random, hasSecondFactor: access.hasSecondFactor, hasSecondFactorBesides: access.hasSecondFactorBesides });
  const router = totpRoutes({ totp, users: storage.users, access, audit: deps.audit, factorAdded: deps.factorAdded, attempts: deps.attempts });
  return { provider: totp.provider, router };
}
