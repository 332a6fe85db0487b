// The keys that sign session tokens (ES256) and OpenID Connect tokens (ES256, or RS256, which
// OpenID Connect Discovery requires every provider to offer), kept in the database so every
// instance signs with the same keys and publishes the same JWKS. Each algorithm is a family
// of its own with one key per rotation slot, made, signing and retired on the one schedule;
// a ring made before RS256 existed gets its first RSA key on first use, which signs at once
// (as any family's first key does) while the EC keys it had stay as they were. Private keys are sealed with the first
// TOTP encryption key (AES-256-GCM, the kid bound as associated data). Keys are made lazily
// by whichever instance first needs one; the slot's unique key decides races, and the loser
// adopts the winner's key. Imported keys are cached per kid; the key list is read each time,
// so no instance can keep signing with a key another instance has superseded.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { webcrypto } from 'node:crypto';
import type { SigningAlg, SigningKeyRecord, SigningKeyStore } from '../storage/port.js';

// The server build has no DOM lib: name WebCrypto's key type through node:crypto.
type CryptoKey = webcrypto.CryptoKey;
import type { SecretSealer } from '../totp/createSecretSealer.js';
import type { RotationSchedule } from './rotationSchedule.js';

/** Session tokens' algorithm. */
export const TOKEN_ALG = 'ES256';
export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'RS256'];

/** The public part of a JWK, as published: EC (crv, x, y) or RSA (n, e). */
export interface PublicSigningKey {
  kty: string;
  kid: string;
  alg: SigningAlg;
  use: 'sig';
  [member: string]: string;
}

const KEY_OPTIONS = { ES256: { extractable: true }, RS256: { extractable: true, modulusLength: 2048 } } as const;
// RFC 7638: the members a thumbprint (and so the published key) is made of.
const PUBLIC_MEMBERS = { ES256: ['kty', 'crv', 'x', 'y'], RS256: ['kty', 'n', 'e'] } as const;

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

  async function make(alg: SigningAlg, slot: number, now: number, family: SigningKeyRecord[]): Promise<SigningKeyRecord> {
    const pair = await generateKeyPair(alg, KEY_OPTIONS[alg]);
    const pub = await exportJWK(pair.publicKey);
    const publicJwk = Object.fromEntries(PUBLIC_MEMBERS[alg].map((m) => [m, String(pub[m])]));
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = sealer.seal(subject(kid), Buffer.from(JSON.stringify(await exportJWK(pair.privateKey))));
    return { alg, slot, kid, publicJwk, privateJwk, createdAt: now, activeFrom: schedule.activeFrom(slot, now, family) };
  }

  /** The keys in use at `now`, after making any the schedule calls for and dropping retired ones. */
  async function keysAt(now: number): Promise<SigningKeyRecord[]> {
    let keys = await store.list();
    for (const alg of SIGNING_ALGS) {
      for (const slot of schedule.wantedSlots(now)) {
        const family = keys.filter((k) => k.alg === alg);
        if (family.some((k) => k.slot === slot)) continue;
        const key = await make(alg, slot, now, family);
        keys = (await store.create(key)) ? [...keys, key] : await store.list();
      }
      const oldest = schedule.oldestPublished(keys.filter((k) => k.alg === alg), now);
      if (keys.some((k) => k.alg === alg && k.slot < oldest)) {
        await store.removeBefore(alg, oldest);
        keys = keys.filter((k) => k.alg !== alg || k.slot >= oldest);
      }
    }
    for (const kid of imported.keys()) if (!keys.some((k) => k.kid === kid)) imported.delete(kid);
    return keys;
  }

  const familyOf = (keys: SigningKeyRecord[], alg: SigningAlg) => keys.filter((k) => k.alg === alg);
  const publicOf = (k: SigningKeyRecord): PublicSigningKey => ({ ...k.publicJwk, kty: String(k.publicJwk['kty']), kid: k.kid, alg: k.alg, use: 'sig' });

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
    /**
     * The public keys verifiers should know at `now`: the one JWKS of session tokens and
     * OpenID Connect tokens alike, every family's keys (EC first).
     */
    async published(now: number): Promise<PublicSigningKey[]> {
      const keys = await keysAt(now);
      return SIGNING_ALGS.flatMap((alg) => familyOf(keys, alg)).map(publicOf);
    },

    /**
     * Every published key of every family with its private part, each family's signer first,
     * and when that order next changes (a pre-published key starts signing): for
     * oidc-provider, which wants private keys for everything it publishes and signs with the
     * first key that fits the algorithm.
     */
    async privateKeySet(now: number): Promise<{ keys: (JWK & { kid: string })[]; changesAt: number }> {
      const keys = await keysAt(now);
      const signers = SIGNING_ALGS.map((alg) => schedule.signer(familyOf(keys, alg), now));
      if (signers.some((s) => !s)) throw new Error('no signing key is active');
      const ordered = [...(signers as SigningKeyRecord[]), ...keys.filter((k) => !signers.includes(k))];
      const upcoming = keys.filter((k) => k.activeFrom > now).map((k) => k.activeFrom);
      return {
        keys: ordered.map((k) => ({ ...openPrivate(k), kid: k.kid, alg: k.alg, use: 'sig' })),
        changesAt: upcoming.length ? Math.min(...upcoming) : Infinity,
      };
    },

    /** The key that signs session tokens at `now`. */
    async signer(now: number): Promise<{ kid: string; key: CryptoKey }> {
      const current = schedule.signer(familyOf(await keysAt(now), TOKEN_ALG), now);
      // keysAt always leaves a key that may sign now (a first key signs at once).
      if (!current) throw new Error('no signing key is active');
      return { kid: current.kid, key: await importPrivate(current) };
    },
  };
}

export type SigningKeyRing = ReturnType<typeof createSigningKeyRing>;
