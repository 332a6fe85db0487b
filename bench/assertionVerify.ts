// Micro-benchmark: one ES256 assertion verified by Keyward's verifier (cached key) and by
// @simplewebauthn/server's verifyAuthenticationResponse (key imported per call).
// Run: npx tsx bench/assertionVerify.ts
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { verifyAssertion } from '../server/webauthn/verifyAssertion.js';
import { createPublicKeyCache } from '../server/webauthn/publicKeyCache.js';
import { SoftAuthenticator, coseKey } from '../test/helpers/softAuthenticator.js';

const ORIGIN = 'https://login.example.com';
const RP_ID = 'login.example.com';
const CHALLENGE = Buffer.alloc(32, 9).toString('base64url');
const key = new SoftAuthenticator(ORIGIN);
key.register({ rp: { id: RP_ID, name: 'x' }, user: { id: 'dXNlcg', name: 'u', displayName: 'u' }, challenge: CHALLENGE, pubKeyCredParams: [] } as never);
const cred = key.credentials[0]!;
const credential = { id: cred.id.toString('base64url'), publicKey: coseKey('ES256', cred.publicKey) };
const response = key.assert({ challenge: CHALLENGE } as never);
const cache = createPublicKeyCache();

async function rate(label: string, fn: () => unknown | Promise<unknown>, seconds = 3) {
  for (let i = 0; i < 500; i++) await fn();
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    await fn();
    n++;
  }
  console.log(`${label}: ${Math.round(n / seconds)} verifications/s (${((seconds * 1e6) / n).toFixed(0)} µs each)`);
}

await rate('keyward verifyAssertion (cached key)', () =>
  verifyAssertion(response, credential, { challenge: CHALLENGE, origins: [ORIGIN], rpId: RP_ID, requireUserVerification: true }, cache),
);
await rate('@simplewebauthn/server verifyAuthenticationResponse', () =>
  verifyAuthenticationResponse({
    response,
    expectedChallenge: CHALLENGE,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: 0 },
  }),
);
