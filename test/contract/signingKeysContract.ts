// The contract of the token signing-key store, for every adapter: one key per rotation slot
// and algorithm, decided by the store even when instances race to create it.
import { describe, expect, it } from 'vitest';
import type { SigningAlg, SigningKeyRecord } from '../../server/storage/port.js';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';

const NOW = 1_800_000_000_000;

function aKey(slot: number, tag = 'a'): SigningKeyRecord {
  return {
    alg: 'ES256',
    slot,
    kid: `kid-${slot}-${tag}`,
    publicJwk: { kty: 'EC', crv: 'P-256', x: `x-${slot}-${tag}`, y: `y-${slot}-${tag}` },
    privateJwk: { keyId: 'k1', sealed: `sealed-${slot}-${tag}` },
    createdAt: NOW + slot,
    activeFrom: NOW + slot * 1000,
  };
}

function anRsaKey(slot: number, tag = 'a'): SigningKeyRecord {
  return {
    alg: 'RS256',
    slot,
    kid: `rsa-kid-${slot}-${tag}`,
    publicJwk: { kty: 'RSA', n: `n-${slot}-${tag}`, e: 'AQAB' },
    privateJwk: { keyId: 'k1', sealed: `rsa-sealed-${slot}-${tag}` },
    createdAt: NOW + slot,
    activeFrom: NOW + slot * 1000,
  };
}

const at = (alg: SigningAlg, slot: number) => ({ alg, slot });

export function signingKeysContract(factory: StorageFactory): void {
  describe(`signing keys contract: ${factory.name}`, () => {
    const storage = useStorage(factory);

    it('keeps keys exactly as created, listed oldest slot first', async () => {
      expect(await storage.signingKeys.list()).toEqual([]);
      expect(await storage.signingKeys.create(aKey(7))).toBe(true);
      expect(await storage.signingKeys.create(aKey(5))).toBe(true);
      expect(await storage.signingKeys.list()).toEqual([aKey(5), aKey(7)]);
    });

    it('refuses a second key for a slot that has one: the first stays', async () => {
      expect(await storage.signingKeys.create(aKey(3, 'first'))).toBe(true);
      expect(await storage.signingKeys.create(aKey(3, 'second'))).toBe(false);
      expect(await storage.signingKeys.list()).toEqual([aKey(3, 'first')]);
    });

    it('lets exactly one of many instances racing for a slot create its key', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => storage.signingKeys.create(aKey(9, `racer${i}`))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await storage.signingKeys.list()).toEqual([aKey(9, `racer${winner}`)]);
    });

    it('replaces a sealed private key only while it is still the one expected', async () => {
      await storage.signingKeys.create(aKey(4));
      const next = { keyId: 'k2', sealed: 'resealed-4' };
      expect(await storage.signingKeys.replaceSealed(at('ES256', 4), { keyId: 'k1', sealed: 'something else' }, next)).toBe(false);
      expect(await storage.signingKeys.replaceSealed(at('ES256', 4), aKey(4).privateJwk, next)).toBe(true);
      expect(await storage.signingKeys.replaceSealed(at('ES256', 4), aKey(4).privateJwk, { keyId: 'k3', sealed: 'late' })).toBe(false);
      expect(await storage.signingKeys.list()).toEqual([{ ...aKey(4), privateJwk: next }]);
    });

    it('removes only the keys of slots below the given one', async () => {
      for (const slot of [1, 2, 3, 4]) await storage.signingKeys.create(aKey(slot));
      expect(await storage.signingKeys.removeBefore('ES256', 3)).toBe(2);
      expect(await storage.signingKeys.list()).toEqual([aKey(3), aKey(4)]);
      expect(await storage.signingKeys.removeBefore('ES256', 3)).toBe(0);
    });

    it('keeps an RS256 key beside the ES256 key of the same slot, each family on its own', async () => {
      expect(await storage.signingKeys.create(aKey(5))).toBe(true);
      expect(await storage.signingKeys.create(anRsaKey(5))).toBe(true);
      expect(await storage.signingKeys.create(anRsaKey(5, 'second'))).toBe(false);
      expect(await storage.signingKeys.create(anRsaKey(6))).toBe(true);
      expect(await storage.signingKeys.list()).toEqual([aKey(5), anRsaKey(5), anRsaKey(6)]);
      const next = { keyId: 'k2', sealed: 'rsa-resealed-5' };
      expect(await storage.signingKeys.replaceSealed(at('RS256', 5), aKey(5).privateJwk, next)).toBe(false);
      expect(await storage.signingKeys.replaceSealed(at('RS256', 5), anRsaKey(5).privateJwk, next)).toBe(true);
      expect(await storage.signingKeys.removeBefore('RS256', 6)).toBe(1);
      expect(await storage.signingKeys.list()).toEqual([aKey(5), anRsaKey(6)]);
    });
  });
}
