import type { Config } from '../config.js';
import type { CertificationLevel } from '../mds/authenticatorModels.js';

/** COSE algorithm ids, in preference order: EdDSA, ES256, RS256. */
export const SUPPORTED_ALGORITHMS = [-8, -7, -257];

export interface WebAuthnPolicy {
  rpId: string;
  rpName: string;
  origins: string[];
  userVerification: 'required' | 'preferred' | 'discouraged';
  attestation: 'none' | 'direct';
  allowedAaguids: string[];
  challengeTtlMs: number;
  /** ATTESTATION_POLICY: mds checks the attestation against the FIDO metadata. */
  trust: 'none' | 'direct' | 'mds';
  minCertification: CertificationLevel;
  hints: ('security-key' | 'client-device' | 'hybrid')[];
}

export function webauthnPolicy(config: Config): WebAuthnPolicy {
  return {
    rpId: config.rpId,
    rpName: config.rpName,
    origins: config.origins,
    userVerification: config.userVerification,
    attestation: config.attestation,
    allowedAaguids: config.allowedAaguids,
    challengeTtlMs: config.webauthnTimeoutSeconds * 1000,
    trust: config.attestationPolicy,
    minCertification: config.mds.minCertification,
    hints: config.webauthnHints,
  };
}
