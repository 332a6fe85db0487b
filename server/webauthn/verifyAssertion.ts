// Verifies a WebAuthn assertion (WebAuthn Level 3, §7.2) with a cached public key object.
// It performs the checks of @simplewebauthn/server's verifyAuthenticationResponse — type,
// challenge, origin, cross-origin rules, RP ID hash, user presence / verification, and the
// signature over authenticatorData || SHA-256(clientDataJSON) — and is tested against it
// case by case (test/unit/verifyAssertion.test.ts). Only the key import is done once per
// credential instead of once per sign-in.
import { createHash, verify } from 'node:crypto';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { PublicKeyCache } from './publicKeyCache.js';

export interface AssertionExpectations {
  challenge: string;
  origins: string[];
  rpId: string;
  requireUserVerification: boolean;
}

export type AssertionResult =
  | { verified: true; newCounter: number; userVerified: boolean; backedUp: boolean; deviceType: 'singleDevice' | 'multiDevice' }
  | { verified: false; reason: string };

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const fail = (reason: string): AssertionResult => ({ verified: false, reason });

export function verifyAssertion(
  response: AuthenticationResponseJSON,
  credential: { id: string; publicKey: Uint8Array },
  expect: AssertionExpectations,
  keys: PublicKeyCache,
): AssertionResult {
  if (response.id !== response.rawId || response.type !== 'public-key') return fail('malformed_credential');
  if (response.id !== credential.id) return fail('credential_mismatch');

  const clientDataBytes = Buffer.from(response.response.clientDataJSON, 'base64url');
  let clientData: { type?: unknown; challenge?: unknown; origin?: unknown; crossOrigin?: unknown; topOrigin?: unknown };
  try {
    clientData = JSON.parse(clientDataBytes.toString('utf8'));
  } catch {
    return fail('client_data_not_json');
  }
  if (clientData.type !== 'webauthn.get') return fail('wrong_type');
  if (clientData.challenge !== expect.challenge) return fail('wrong_challenge');
  if (typeof clientData.origin !== 'string' || !expect.origins.includes(clientData.origin)) return fail('wrong_origin');
  // Keyward is never embedded in another site's frame (frame-ancestors 'none'), so a
  // cross-origin assertion is refused outright.
  if (clientData.crossOrigin === true || clientData.topOrigin !== undefined) return fail('cross_origin');

  const authData = Buffer.from(response.response.authenticatorData, 'base64url');
  let parsed;
  try {
    parsed = parseAuthenticatorData(new Uint8Array(authData));
  } catch {
    return fail('malformed_authenticator_data');
  }
  if (!sha256(expect.rpId).equals(Buffer.from(parsed.rpIdHash))) return fail('wrong_rp_id');
  if (!parsed.flags.up) return fail('user_not_present');
  if (expect.requireUserVerification && !parsed.flags.uv) return fail('user_not_verified');

  let key;
  try {
    key = keys.get(credential.id, credential.publicKey);
  } catch (err) {
    return fail(`unusable_public_key: ${(err as Error).message}`);
  }
  const signed = Buffer.concat([authData, sha256(clientDataBytes)]);
  const signature = Buffer.from(response.response.signature, 'base64url');
  let ok = false;
  try {
    ok =
      key.alg === -8
        ? verify(null, signed, key.key, signature)
        : verify('sha256', signed, { key: key.key, dsaEncoding: 'der' }, signature);
  } catch {
    ok = false;
  }
  if (!ok) return fail('bad_signature');

  return {
    verified: true,
    newCounter: parsed.counter,
    userVerified: parsed.flags.uv,
    backedUp: parsed.flags.bs,
    deviceType: parsed.flags.be ? 'multiDevice' : 'singleDevice',
  };
}
