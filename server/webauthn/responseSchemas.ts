// Shapes of the browser's WebAuthn responses (as @simplewebauthn/browser sends them), and
// the structural decoding that tells "malformed" (400) apart from "did not verify" (401).
import { z } from 'zod';
import { decodeAttestationObject, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { KeywardError } from '../errors.js';

const b64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

const common = {
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
};

export const registrationResponse = z.looseObject({
  ...common,
  response: z.looseObject({
    clientDataJSON: b64url(8192),
    attestationObject: b64url(65536),
    transports: z.array(z.string().max(32)).max(16).optional(),
  }),
});

export const authenticationResponse = z.looseObject({
  ...common,
  response: z.looseObject({
    clientDataJSON: b64url(8192),
    authenticatorData: b64url(8192),
    signature: b64url(4096),
    userHandle: b64url(1024).optional(),
  }),
});

const malformed = (what: string) => new KeywardError('invalid_request', `The ${what} is malformed.`);

/** The challenge the browser signed, from clientDataJSON. Throws 400 when unreadable. */
export function clientChallenge(clientDataJSON: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
  } catch {
    throw malformed('clientDataJSON');
  }
  const challenge = (parsed as { challenge?: unknown })?.challenge;
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(challenge)) throw malformed('clientDataJSON');
  return challenge;
}

/** Decodes the CBOR and binary parts once, so hostile bytes get a 400 before any verification. */
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
