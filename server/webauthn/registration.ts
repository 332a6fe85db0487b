// Registering a security key or passkey for a signed-in user.
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Clock } from '../clock.js';
import type { CredentialRecord, CredentialStore, UserRecord } from '../storage/port.js';
import type { ChallengeService } from './challengeService.js';
import { defaultCredentialName } from './aaguidNames.js';
import { SUPPORTED_ALGORITHMS, type WebAuthnPolicy } from './webauthnPolicy.js';
import { checkRegistrationStructure, clientChallenge } from './responseSchemas.js';
import { checkAttestationTrust } from './attestationTrust.js';
import type { MdsService } from '../mds/createMdsService.js';

export type RegistrationOutcome =
  | { ok: true; credential: CredentialRecord }
  | { ok: false; reason: string; code: 'webauthn_verification_failed' | 'already_registered' | 'forbidden' };

export interface RegistrationDeps {
  policy: WebAuthnPolicy;
  credentials: CredentialStore;
  challenges: ChallengeService;
  clock: Clock;
  mds: Pick<MdsService, 'current'>;
}

/** The WebAuthn user handle: the user's random id, never the username (no PII on the key). */
export function userHandle(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'));
}

/**
 * passkey: the key must be discoverable and verify the user (PIN or biometric), since it signs
 * the person in on its own (an account without a password, aal 2 on its own).
 */
/** Whose key it is: an account, or one being created with its passkey (server/accounts/createPasskeyAccounts.ts). */
export type RegisteringUser = Pick<UserRecord, 'id' | 'username' | 'displayName'>;

export interface RegistrationMode {
  passkey?: boolean;
}

export function createRegistration(deps: RegistrationDeps) {
  const { policy, credentials, challenges, clock, mds } = deps;

  return {
    async options(user: RegisteringUser, binding: string, mode: RegistrationMode = {}): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const existing = await credentials.listByUser(user.id);
      const options = await generateRegistrationOptions({
        rpName: policy.rpName,
        rpID: policy.rpId,
        userName: user.username,
        userDisplayName: user.displayName,
        userID: userHandle(user.id),
        challenge: new Uint8Array(Buffer.from(await challenges.issue(binding, 'registration', user.id), 'base64url')),
        timeout: policy.challengeTtlMs,
        attestationType: policy.attestation,
        excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
        authenticatorSelection: mode.passkey ? { residentKey: 'required', userVerification: 'required' } : { residentKey: 'preferred', userVerification: policy.userVerification },
        supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
      });
      return policy.hints.length > 0 ? { ...options, hints: policy.hints } : options;
    },

    /**
     * Throws 400 for a malformed response; every other failure is an outcome value. The name:
     * the person's, else the model's, else `defaultName` (the caller's wording), else ours.
     */
    async verify(user: RegisteringUser, binding: string, response: RegistrationResponseJSON, name: string | undefined, defaultName?: string, mode: RegistrationMode = {}): Promise<RegistrationOutcome> {
      const challenge = clientChallenge(response.response.clientDataJSON);
      checkRegistrationStructure(response);
      const spent = await challenges.spend(challenge, binding, 'registration');
      if (!spent.ok) return { ok: false, reason: spent.reason, code: 'webauthn_verification_failed' };
      if (spent.record.userId !== user.id) return { ok: false, reason: 'challenge_for_other_user', code: 'webauthn_verification_failed' };

      let verified;
      try {
        verified = await verifyRegistrationResponse({
          response,
          expectedChallenge: spent.record.challenge,
          expectedOrigin: policy.origins,
          expectedRPID: policy.rpId,
          requireUserVerification: mode.passkey || policy.userVerification === 'required',
          supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
        });
      } catch (err) {
        return { ok: false, reason: `invalid_response: ${(err as Error).message}`, code: 'webauthn_verification_failed' };
      }
      if (!verified.verified) return { ok: false, reason: 'not_verified', code: 'webauthn_verification_failed' };
      // A browser that says the key kept no discoverable credential: it could not sign in alone.
      if (mode.passkey && response.clientExtensionResults?.credProps?.rk === false) return { ok: false, reason: 'not_discoverable', code: 'webauthn_verification_failed' };
      const info = verified.registrationInfo;

      if (policy.attestation === 'direct' && policy.allowedAaguids.length > 0) {
        // An allow-list means only attested keys of listed models: 'none' proves nothing.
        if (info.fmt === 'none' || !policy.allowedAaguids.includes(info.aaguid.toLowerCase())) {
          return { ok: false, reason: `aaguid_not_allowed: ${info.aaguid} (${info.fmt})`, code: 'forbidden' };
        }
      }

      let attestation = null;
      const metadata = await mds.current();
      if (policy.trust === 'mds') {
        const trust = checkAttestationTrust(info, metadata, policy.minCertification, clock.now());
        if (!trust.ok) return { ok: false, reason: trust.reason, code: 'forbidden' };
        attestation = trust.proof;
      }

      const count = await credentials.countByUser(user.id);
      const credential: CredentialRecord = {
        id: info.credential.id,
        userId: user.id,
        name: name ?? metadata?.blob.models.get(info.aaguid.toLowerCase())?.description ?? defaultCredentialName(info.aaguid, info.credentialDeviceType, count, defaultName),
        publicKey: new Uint8Array(info.credential.publicKey),
        counter: info.credential.counter,
        transports: info.credential.transports ?? response.response.transports ?? [],
        aaguid: info.aaguid.toLowerCase(),
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        flagged: false,
        createdAt: clock.now(),
        lastUsedAt: null,
        attestation,
        modelRevokedBy: null,
      };
      // The unique credential id decides: a key registered before (by anyone) is refused.
      if (!(await credentials.create(credential))) return { ok: false, reason: 'credential_exists', code: 'already_registered' };
      return { ok: true, credential };
    },
  };
}

export type Registration = ReturnType<typeof createRegistration>;
