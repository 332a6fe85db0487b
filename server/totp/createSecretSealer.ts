// TOTP secrets at rest: AES-256-GCM with a random 96-bit IV. The key id travels with the
// ciphertext so keys can rotate (the first key seals, every listed key opens), and the
// owner's user id is the associated data: a ciphertext copied onto another user's
// authenticator fails authentication instead of quietly producing that user's codes.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Random } from '../clock.js';
import type { SealedSecret } from '../storage/port.js';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface SecretSealer {
  seal(userId: string, secret: Uint8Array): SealedSecret;
  /** The secret, or null when its key is unknown or the ciphertext is not this user's (or was altered). */
  open(userId: string, sealed: SealedSecret): Buffer | null;
  /** Whether it is sealed with the key that seals today (the first one). */
  isCurrent(sealed: SealedSecret): boolean;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
// Versioned, so a future format change cannot be confused with this one.
const aad = (userId: string) => Buffer.from(`keyward:totp-secret:v1:${userId}`, 'utf8');

export function createSecretSealer(deps: { keys: EncryptionKey[]; random: Random }): SecretSealer {
  const [current] = deps.keys;
  if (!current) throw new Error('at least one TOTP encryption key is needed');
  for (const k of deps.keys) if (k.key.length !== 32) throw new Error(`TOTP key ${k.id} is not 32 bytes`);
  const byId = new Map(deps.keys.map((k) => [k.id, k.key]));

  return {
    seal(userId, secret) {
      const iv = deps.random.bytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(userId));
      const body = Buffer.concat([cipher.update(secret), cipher.final()]);
      return { keyId: current.id, sealed: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url') };
    },

    open(userId, s) {
      const key = byId.get(s.keyId);
      if (!key) return null;
      const raw = Buffer.from(s.sealed, 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES + 1) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAAD(aad(userId));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
      } catch {
        // GCM authentication failed: wrong owner, wrong key or a tampered record.
        return null;
      }
    },

    isCurrent: (s) => s.keyId === current.id,
  };
}
