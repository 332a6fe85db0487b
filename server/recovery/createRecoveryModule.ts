// Recovery codes, assembled: the use cases, routes, factor provider, and the listener that
// issues the first set when a person adds their first second factor.
import type { FactorModuleDeps } from '../session/factorModuleDeps.js';
import type { FactorAddedListener } from '../session/enrollment.js';
import { recoveryRoutes } from '../http/routes/recoveryRoutes.js';
import { createRecoveryService } from './createRecoveryService.js';

export type RecoveryModuleDeps = Pick<FactorModuleDeps, 'storage' | 'clock' | 'random' | 'audit' | 'access' | 'attempts'>;

export function createRecoveryModule(deps: RecoveryModuleDeps) {
  const { storage, clock, random, audit } = deps;
  const recovery = createRecoveryService({ store: storage.recovery, users: storage.users, clock, random });
  const onFactorAdded: FactorAddedListener = async (e) => {
    const extra = await recovery.onFactorAdded(e);
    if (extra['recoveryCodes']) {
      await audit.record('recovery_codes.issued', 'success', { userId: e.userId, ...e.origin }, { reason: 'first_factor', factor: e.factor });
    }
    return extra;
  };
  const router = recoveryRoutes({ recovery, access: deps.access, audit, attempts: deps.attempts });
  return { provider: recovery.provider, onFactorAdded, router };
}
