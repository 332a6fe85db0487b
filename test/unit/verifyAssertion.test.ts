// Keyward's assertion verifier (cached keys) must agree with @simplewebauthn/server's
// verifyAuthenticationResponse on every case, valid or tampered.
import { describe, expect, it } from 'vitest';
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { verifyAssertion } from '../../server/webauthn/verifyAssertion.js';
import { createPublicKeyCache } from '../../server/webauthn/publicKeyCache.js';
import { SoftAuthenticator, coseKey, type KeyType, type Tamper } from '../helpers/softAuthenticator.js';

const ORIGIN = 'https://login.example.com';
const RP_ID = 'login.example.com';
const CHALLENGE = Buffer.alloc(32, 9).toString('base64url');

function setup(keyType: KeyType) {
  const key = new SoftAuthenticator(ORIGIN, { keyType });
  key.register({ rp: { id: RP_ID, name: 'x' }, user: { id: 'dXNlcg', name: 'u', displayName: 'u' }, challenge: CHALLENGE, pubKeyCredParams: [] } as never);
  const cred = key.credentials[0]!;
  return { key, credential: { id: cred.id.toString('base64url'), publicKey: coseKey(keyType, cred.publicKey) } };
}

async function reference(response: AuthenticationResponseJSON, credential: { id: string; publicKey: Uint8Array }, requireUserVerification: boolean) {
  try {
    const r = await verifyAuthenticationResponse({
      response,
      expectedChallenge: CHALLENGE,
      expectedOrigin: [ORIGIN],
      expectedRPID: RP_ID,
      credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: 0 },
      requireUserVerification,
    });
    return r.verified;
  } catch {
    return false;
  }
}

const CASES: [string, Tamper & { counter?: number }, boolean][] = [
  ['a valid assertion', {}, true],
  ['a valid assertion with a counter', { counter: 42 }, true],
  ['another origin', { origin: 'https://evil.example' }, false],
  ['another RP ID', { rpId: 'evil.example' }, false],
  ['a registration-type client data', { type: 'webauthn.create' }, false],
  ['another challenge', { challenge: Buffer.alloc(32, 1).toString('base64url') }, false],
  ['no user presence', { up: false }, false],
  ['no user verification where required', { uv: false }, false],
  ['a bad signature', { badSignature: true }, false],
  ['a backed-up passkey', { backedUp: true }, true],
];

describe('verifyAssertion agrees with @simplewebauthn/server', () => {
  for (const keyType of ['ES256', 'EdDSA', 'RS256'] as const) {
    for (const [label, tamper, expected] of CASES) {
      it(`${keyType}: ${label} -> ${expected ? 'verified' : 'refused'}`, async () => {
        const { key, credential } = setup(keyType);
        const response = key.assert({ challenge: CHALLENGE, rpId: RP_ID } as never, tamper);
        const ours = verifyAssertion(response, credential, { challenge: CHALLENGE, origins: [ORIGIN], rpId: RP_ID, requireUserVerification: true }, createPublicKeyCache());
        expect(ours.verified).toBe(expected);
        expect(await reference(response, credential, true)).toBe(expected);
      });
    }
  }

  it('accepts a tap without user verification when it is not required, as the library does', async () => {
    const { key, credential } = setup('ES256');
    const response = key.assert({ challenge: CHALLENGE } as never, { uv: false });
    const ours = verifyAssertion(response, credential, { challenge: CHALLENGE, origins: [ORIGIN], rpId: RP_ID, requireUserVerification: false }, createPublicKeyCache());
    expect(ours).toMatchObject({ verified: true, userVerified: false });
    expect(await reference(response, credential, false)).toBe(true);
  });

  it('reports counter, backup state and device type from the authenticator data', () => {
    const { key, credential } = setup('EdDSA');
    const response = key.assert({ challenge: CHALLENGE } as never, { counter: 7, backedUp: true });
    expect(verifyAssertion(response, credential, { challenge: CHALLENGE, origins: [ORIGIN], rpId: RP_ID, requireUserVerification: true }, createPublicKeyCache())).toEqual({
      verified: true,
      newCounter: 7,
      userVerified: true,
      backedUp: true,
      deviceType: 'multiDevice',
    });
  });

  it('refuses a response for another credential than the one looked up', () => {
    const a = setup('ES256');
    const b = setup('ES256');
    const response = a.key.assert({ challenge: CHALLENGE } as never);
    expect(verifyAssertion(response, b.credential, { challenge: CHALLENGE, origins: [ORIGIN], rpId: RP_ID, requireUserVerification: true }, createPublicKeyCache()).verified).toBe(false);
  });

  it('imports each credential key once and keeps the cache bounded', () => {
    const cache = createPublicKeyCache(2);
    const keys = [setup('ES256'), setup('EdDSA'), setup('RS256')];
    const first = cache.get(keys[0]!.credential.id, keys[0]!.credential.publicKey);
    expect(cache.get(keys[0]!.credential.id, keys[0]!.credential.publicKey)).toBe(first);
    for (const k of keys) cache.get(k.credential.id, k.credential.publicKey);
    expect(cache.size).toBe(2);
  });
});
