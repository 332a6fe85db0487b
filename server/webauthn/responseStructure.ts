// The structural decoding of a WebAuthn response (its CBOR and binary parts), done once before
// any verification so hostile bytes get a 400 ("malformed") rather than a 401 ("did not verify").
// Part of the ceremony library (ceremonyLibrary.ts): it needs @simplewebauthn/server's decoders.
import { decodeAttestationObject, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { malformed } from './responseSchemas.js';

export function checkRegistrationStructure(r: RegistrationResponseJSON): void {
  try {
    const att = decodeAttestationObject(new Uint8Array(Buffer.from(r.response.attestationObject, 'base64url')));
    const authData = att.get('authData');
    if (typeof att.get('fmt') !== 'string' || !(authData instanceof Uint8Array)) throw new Error('fields');
    const parsed = parseAuthenticatorData(authData);
    if (!parsed.credentialID || !parsed.credentialPublicKey) throw new Error('no attested credential');
  } catch {
    throw malformed('attestation object');
  }
}

export function checkAuthenticationStructure(r: AuthenticationResponseJSON): void {
  try {
    parseAuthenticatorData(new Uint8Array(Buffer.from(r.response.authenticatorData, 'base64url')));
  } catch {
    throw malformed('authenticator data');
  }
}
