// The ES256 keys that sign session tokens, kept in the database so every instance signs
// with the same key and publishes the same JWKS. Private keys are sealed with the first
// TOTP encryption key (AES-256-GCM, the kid bound as associated data). Keys are made lazily
// by whichever instance first needs one; the slot's unique key decides races, and the loser
// adopts the winner's key. Imported keys are cached per kid; the key list is read each time,
// so no instance can keep signing with a key another instance has superseded.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { webcrypto } from 'node:crypto';
import type { SigningKeyRecord, SigningKeyStore } from '../storage/port.js';

// The server build has no DOM lib: name WebCrypto's key type through node:crypto.
type CryptoKey = webcrypto.CryptoKey;
import type { SecretSealer } from '../totp/createSecretSealer.js';
import type { RotationSchedule } from './rotationSchedule.js';

export const TOKEN_ALG = 'ES256';

export interface PublicSigningKey {
  kty: string;
  crv: string;
  x: string;
  y: string;
  kid: string;
  alg: typeof TOKEN_ALG;
  use: 'sig';
}

export interface SigningKeyRingDeps {
  store: SigningKeyStore;
  sealer: SecretSealer;
  schedule: RotationSchedule;
}

/** The sealer's subject for a signing key: user ids are base64url, so this can never be a user's. */
export const signingKeySubject = (kid: string) => `signing-key:${kid}`;
const subject = signingKeySubject;

export function createSigningKeyRing(deps: SigningKeyRingDeps) {
  const { store, sealer, schedule } = deps;
  const imported = new Map<string, Promise<CryptoKey>>();

  async function make(slot: number, now: number, existing: SigningKeyRecord[]): Promise<SigningKeyRecord> {
    const pair = await generateKeyPair(TOKEN_ALG, { extractable: true });
    const pub = await exportJWK(pair.publicKey);
    const publicJwk = { kty: pub.kty!, crv: pub.crv!, x: pub.x!, y: pub.y! };
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = sealer.seal(subject(kid), Buffer.from(JSON.stringify(await exportJWK(pair.privateKey))));
    return { slot, kid, publicJwk, privateJwk, createdAt: now, activeFrom: schedule.activeFrom(slot, now, existing) };
  }

  /** The keys in use at `now`, after making any the schedule calls for and dropping retired ones. */
  async function keysAt(now: number): Promise<SigningKeyRecord[]> {
    let keys = await store.list();
    for (const slot of schedule.wantedSlots(now)) {
      if (keys.some((k) => k.slot === slot)) continue;
      const key = await make(slot, now, keys);
      keys = (await store.create(key)) ? [...keys, key] : await store.list();
    }
    const oldest = schedule.oldestPublished(keys, now);
    if (keys.some((k) => k.slot < oldest)) {
      await store.removeBefore(oldest);
      keys = keys.filter((k) => k.slot >= oldest);
    }
    for (const kid of imported.keys()) if (!keys.some((k) => k.kid === kid)) imported.delete(kid);
    return keys;
  }

  function openPrivate(key: SigningKeyRecord): JWK {
    const raw = sealer.open(subject(key.kid), key.privateJwk);
    if (!raw) {
      throw new Error(`signing key ${key.kid} cannot be decrypted: is TOTP_ENCRYPTION_KEYS entry "${key.privateJwk.keyId}" still configured?`);
    }
    return JSON.parse(raw.toString('utf8')) as JWK;
  }

  function importPrivate(key: SigningKeyRecord): Promise<CryptoKey> {
    let p = imported.get(key.kid);
    if (!p) {
      p = importJWK(openPrivate(key), TOKEN_ALG) as Promise<CryptoKey>;
      imported.set(key.kid, p);
      p.catch(() => imported.delete(key.kid));
    }
    return p;
  }

  return {
    /** The public keys verifiers should know at `now` (the JWKS). */
    async published(now: number): Promise<PublicSigningKey[]> {
      return (await keysAt(now)).map((k) => ({ ...(k.publicJwk as Omit<PublicSigningKey, 'kid' | 'alg' | 'use'>), kid: k.kid, alg: TOKEN_ALG, use: 'sig' }));
    },

    /**
     * Every published key with its private part, the signer first, and when that order next
     * changes (a pre-published key starts signing): for oidc-provider, which wants private
     * keys for everything it publishes and signs with the first key that fits.
     */
    async privateKeySet(now: number): Promise<{ keys: (JWK & { kid: string })[]; changesAt: number }> {
      const keys = await keysAt(now);
      const current = schedule.signer(keys, now);
      if (!current) throw new Error('no signing key is active');
      const ordered = [current, ...keys.filter((k) => k.kid !== current.kid)];
      const upcoming = keys.filter((k) => k.activeFrom > now).map((k) => k.activeFrom);
      return {
        keys: ordered.map((k) => ({ ...openPrivate(k), kid: k.kid, alg: TOKEN_ALG, use: 'sig' })),
        changesAt: upcoming.length ? Math.min(...upcoming) : Infinity,
      };
    },

    /** The key that signs at `now`. */
    async signer(now: number): Promise<{ kid: string; key: CryptoKey }> {
      const current = schedule.signer(await keysAt(now), now);
      // keysAt always leaves a key that may sign now (a first key signs at once).
      if (!current) throw new Error('no signing key is active');
      return { kid: current.kid, key: await importPrivate(current) };
    },
  };
}

export type SigningKeyRing = ReturnType<typeof createSigningKeyRing>;
