// Whether a person could reach a level now, on Keyward's verify page (a step-up of their
// session): aal 2 with any second factor they hold, aal 3 with a key whose attestation proved
// a hardware-bound model (server/webauthn/assuranceLevel.ts), which only ATTESTATION_POLICY=mds
// registers. A step-up is offered only when it can succeed, so asking for a level nobody can
// give never sends anyone round the verify page.
import type { CredentialStore } from '../storage/port.js';
import { provesHardwareKey } from '../webauthn/assuranceLevel.js';

export interface ReachableLevelDeps {
  hasSecondFactor(userId: string): Promise<boolean>;
  credentials: Pick<CredentialStore, 'listByUser'>;
  attestationPolicy: string;
}

export type CanReach = (userId: string, level: number) => Promise<boolean>;

export function reachableLevel(deps: ReachableLevelDeps): CanReach {
  return async (userId, level) => {
    if (level <= 1) return true;
    if (level === 2) return deps.hasSecondFactor(userId);
    if (level === 3 && deps.attestationPolicy === 'mds') return (await deps.credentials.listByUser(userId)).some(provesHardwareKey);
    return false;
  };
}
