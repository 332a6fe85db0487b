// The authenticator-app factor, assembled: its use cases, routes and factor provider.
import type { Config } from '../config.js';
import type { Clock, Random } from '../clock.js';
import type { Storage } from '../storage/port.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { FactorAddedListener } from '../session/enrollment.js';
import type { SessionAccess } from '../http/sessionAccess.js';
import { totpRoutes } from '../http/routes/totpRoutes.js';
import { createTotpService } from './createTotpService.js';

export interface TotpModuleDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  random: Random;
  audit: AuditLog;
  access: SessionAccess;
  factorAdded: FactorAddedListener[];
}

export function createTotpModule(deps: TotpModuleDeps) {
  const { config, storage, clock, random, access } = deps;
  const totp = createTotpService({ config, store: storage.totp, users: storage.users, clock, random, hasSecondFactor: access.hasSecondFactor });
  const router = totpRoutes({ totp, users: storage.users, access, audit: deps.audit, factorAdded: deps.factorAdded });
  return { provider: totp.provider, router };
}
