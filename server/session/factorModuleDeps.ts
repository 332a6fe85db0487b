import type { Config } from '../config.js';
import type { Clock, Random } from '../clock.js';
import type { Storage } from '../storage/port.js';
import type { AuditLog } from '../audit/createAuditLog.js';
import type { SessionAccess } from '../http/sessionAccess.js';
import type { GuardedAttempts } from '../guard/createGuardedAttempts.js';
import type { FactorAddedListener } from './enrollment.js';
import type { MdsService } from '../mds/createMdsService.js';

/** What every factor module (security keys, authenticator apps, recovery codes) is built from. */
export interface FactorModuleDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  random: Random;
  audit: AuditLog;
  access: SessionAccess;
  /** Every guess at a factor runs through the brute-force limits. */
  attempts: GuardedAttempts;
  factorAdded: FactorAddedListener[];
  /** The FIDO metadata (ATTESTATION_POLICY=mds, model names, AAL3). */
  mds: MdsService;
}
