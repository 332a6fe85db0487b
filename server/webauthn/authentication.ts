// Signing in with a key: as the second step after a password (the pending user's keys),
// as step-up, or as a usernameless passkey sign-in (discoverable credential + user
// verification, aal 2 on its own).
import { generateAuthenticationOptions } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Clock } from '../clock.js';
import type { CredentialRecord, CredentialStore, UserStore, UserRecord } from '../storage/port.js';
import type { ChallengeService } from './challengeService.js';
import type { WebAuthnPolicy } from './webauthnPolicy.js';
import { checkAuthenticationStructure, clientChallenge } from './responseSchemas.js';
import { verifyAssertion } from './verifyAssertion.js';
import type { PublicKeyCache } from './publicKeyCache.js';

export type AuthenticationOutcome =
  | { ok: true; user: UserRecord; credential: CredentialRecord; passkey: boolean; userVerified: boolean }
  | { ok: false; reason: string; userId: string | null; credentialId?: string; unknownCredential?: boolean; counterRegressed?: boolean };

export interface AuthenticationDeps {
  policy: WebAuthnPolicy;
  users: UserStore;
  credentials: CredentialStore;
  challenges: ChallengeService;
  clock: Clock;
  keys: PublicKeyCache;
}

export function createAuthentication(deps: AuthenticationDeps) {
  const { policy, users, credentials, challenges, clock, keys } = deps;

  return {
    /** userId null: a passkey sign-in, any discoverable credential, user verification required. */
    async options(userId: string | null, binding: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const allow = userId ? await credentials.listByUser(userId) : [];
      const challenge = await challenges.issue(binding, 'authentication', userId);
      return generateAuthenticationOptions({
        rpID: policy.rpId,
        challenge: new Uint8Array(Buffer.from(challenge, 'base64url')),
        timeout: policy.challengeTtlMs,
        allowCredentials: allow.map((c) => ({ id: c.id, transports: c.transports as never })),
        userVerification: userId ? policy.userVerification : 'required',
      });
    },

    /**
     * Throws 400 for a malformed response; every other failure is an outcome value.
     * `known`: the pending user, already read by the caller (not read again when it owns the key).
     */
    async verify(binding: string, response: AuthenticationResponseJSON, known: UserRecord | null = null): Promise<AuthenticationOutcome> {
      const challenge = clientChallenge(response.response.clientDataJSON);
      checkAuthenticationStructure(response);
      const spent = await challenges.spend(challenge, binding, 'authentication');
      if (!spent.ok) return { ok: false, reason: spent.reason, userId: null };
      const expectedUserId = spent.record.userId;
      const passkey = expectedUserId === null;

      const credential = await credentials.findById(response.id);
      if (!credential) return { ok: false, reason: 'unknown_credential', userId: expectedUserId, credentialId: response.id, unknownCredential: true };
      if (passkey) {
        // The authenticator names the account (user handle); it must be the key's owner.
        const handle = response.response.userHandle;
        if (!handle || Buffer.from(handle, 'base64url').toString('utf8') !== credential.userId) {
          return { ok: false, reason: 'user_handle_mismatch', userId: credential.userId, credentialId: credential.id };
        }
      } else if (credential.userId !== expectedUserId) {
        return { ok: false, reason: 'credential_of_other_user', userId: expectedUserId, credentialId: credential.id };
      }

      // Counter checks are graded below (refuse + flag) in one atomic update, not here.
      const result = verifyAssertion(
        response,
        credential,
        { challenge: spent.record.challenge, origins: policy.origins, rpId: policy.rpId, requireUserVerification: passkey || policy.userVerification === 'required' },
        keys,
      );
      if (!result.verified) return { ok: false, reason: result.reason, userId: credential.userId, credentialId: credential.id };

      const use = await credentials.recordUse(credential.id, { newCounter: result.newCounter, at: clock.now(), backedUp: result.backedUp });
      if (use === 'counter_regressed') {
        await credentials.flag(credential.id);
        return {
          ok: false,
          reason: `counter_regressed: stored ${credential.counter}, presented ${result.newCounter}`,
          userId: credential.userId,
          credentialId: credential.id,
          counterRegressed: true,
        };
      }
      if (use === 'missing') return { ok: false, reason: 'credential_removed', userId: credential.userId, credentialId: credential.id, unknownCredential: true };

      const user = known?.id === credential.userId ? known : await users.findById(credential.userId);
      if (!user) return { ok: false, reason: 'user_missing', userId: credential.userId, credentialId: credential.id };
      return { ok: true, user, credential, passkey, userVerified: result.userVerified };
    },
  };
}

export type Authentication = ReturnType<typeof createAuthentication>;
