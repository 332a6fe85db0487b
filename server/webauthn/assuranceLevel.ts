// NIST SP 800-63B AAL3 needs a hardware-based authenticator whose key cannot be copied out:
// Keyward grants it only for a key whose attestation was verified against the FIDO metadata
// (ATTESTATION_POLICY=mds) and proved a certified, hardware-bound model, that is not a synced
// passkey (backup-eligible), and whose model has not been reported compromised since. With
// user verification on the key, or after the password, a sign-in with it reaches aal 3.
import type { CredentialRecord } from '../storage/port.js';

export function provesHardwareKey(c: CredentialRecord): boolean {
  return (
    c.attestation !== null &&
    c.attestation.hardwareBound &&
    c.attestation.certification !== null &&
    c.modelRevokedBy === null &&
    c.deviceType === 'singleDevice' &&
    !c.backedUp
  );
}
