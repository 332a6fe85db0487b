// Imported public keys, kept per credential. Importing a COSE key costs about twice the
// signature check itself (ES256 here: ~15,600 verifies/s with a cached KeyObject, ~5,600/s
// re-importing each time), so sign-ins of returning keys skip it. Bounded LRU; keyed by
// credential id AND the key bytes, so a changed or re-registered key never hits a stale entry.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

export interface CachedKey {
  alg: number;
  key: KeyObject;
}

// COSE labels (RFC 9052/9053): kty 1, alg 3; EC2/OKP crv -1, x -2, y -3; RSA n -1, e -2.
const KTY = 1, ALG = 3, CRV = -1, X = -2, Y = -3, N = -1, E = -2;
const EC2 = 2, OKP = 1, RSA = 3, P256 = 1, ED25519 = 6;

/** COSE -> node KeyObject, for the algorithms Keyward accepts (EdDSA, ES256, RS256). */
export function importCoseKey(publicKey: Uint8Array): CachedKey {
  const k = decodeCredentialPublicKey(new Uint8Array(publicKey)) as unknown as Map<number, unknown>;
  const alg = k.get(ALG);
  const kty = k.get(KTY);
  const bytes = (label: number) => {
    const v = k.get(label);
    if (!(v instanceof Uint8Array)) throw new Error(`COSE key without label ${label}`);
    return b64u(v);
  };
  if (kty === EC2 && alg === -7 && k.get(CRV) === P256) {
    return { alg, key: createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: bytes(X), y: bytes(Y) }, format: 'jwk' }) };
  }
  if (kty === OKP && alg === -8 && k.get(CRV) === ED25519) {
    return { alg, key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: bytes(X) }, format: 'jwk' }) };
  }
  if (kty === RSA && alg === -257) {
    return { alg, key: createPublicKey({ key: { kty: 'RSA', n: bytes(N), e: bytes(E) }, format: 'jwk' }) };
  }
  throw new Error(`unsupported COSE key (kty ${String(kty)}, alg ${String(alg)})`);
}

export function createPublicKeyCache(maxEntries = 10_000) {
  const entries = new Map<string, CachedKey>();
  return {
    get(credentialId: string, publicKey: Uint8Array): CachedKey {
      const id = `${credentialId}.${b64u(publicKey)}`;
      const hit = entries.get(id);
      if (hit) {
        // Map keeps insertion order: re-inserting marks it most recently used.
        entries.delete(id);
        entries.set(id, hit);
        return hit;
      }
      const imported = importCoseKey(publicKey);
      entries.set(id, imported);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return imported;
    },
    get size() {
      return entries.size;
    },
  };
}

export type PublicKeyCache = ReturnType<typeof createPublicKeyCache>;
