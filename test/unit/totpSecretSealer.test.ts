import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretSealer } from '../../server/totp/createSecretSealer.js';
import { cryptoRandom } from '../../server/clock.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const secret = randomBytes(20);

describe('TOTP secret sealing (AES-256-GCM)', () => {
  const sealer = createSecretSealer({ keys: [k1], random: cryptoRandom });

  it('opens what it sealed for the same user', () => {
    const sealed = sealer.seal('alice', secret);
    expect(sealed.keyId).toBe('k1');
    expect(sealer.open('alice', sealed)).toEqual(secret);
  });

  it('uses a fresh IV each time, so one secret never seals the same way twice', () => {
    const a = sealer.seal('alice', secret);
    const b = sealer.seal('alice', secret);
    expect(a.sealed).not.toBe(b.sealed);
    expect(Buffer.from(a.sealed, 'base64url')).toHaveLength(12 + 20 + 16);
  });

  it('refuses a ciphertext moved to another user (the user id is associated data)', () => {
    expect(sealer.open('bob', sealer.seal('alice', secret))).toBeNull();
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const raw = Buffer.from(sealer.seal('alice', secret).sealed, 'base64url');
    for (const at of [0, 15, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at]! ^= 1;
      expect(sealer.open('alice', { keyId: 'k1', sealed: bad.toString('base64url') }), `byte ${at}`).toBeNull();
    }
    expect(sealer.open('alice', { keyId: 'k1', sealed: 'short' })).toBeNull();
  });

  it('seals with the first key, opens with any listed key, and refuses an unknown key id', () => {
    const old = sealer.seal('alice', secret);
    const rotated = createSecretSealer({ keys: [k2, k1], random: cryptoRandom });
    expect(rotated.open('alice', old)).toEqual(secret);
    expect(rotated.isCurrent(old)).toBe(false);
    const fresh = rotated.seal('alice', secret);
    expect(fresh.keyId).toBe('k2');
    expect(rotated.isCurrent(fresh)).toBe(true);
    expect(sealer.open('alice', fresh)).toBeNull();
    expect(rotated.open('alice', { ...old, keyId: 'k2' })).toBeNull();
  });
});
