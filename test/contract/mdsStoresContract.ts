// Contract for FIDO metadata: the stored MDS blob and marking keys of a revoked model.
import { describe, expect, it } from 'vitest';
import { useStorage, type StorageFactory } from '../helpers/storageFactories.js';
import { aCredential } from './webauthnStoresContract.js';

const NOW = 1_800_000_000_000;
const MODEL = '0a1b2c3d-0000-4000-8000-000000000001';

export function mdsStoresContract(factory: StorageFactory): void {
  describe(`FIDO metadata stores: ${factory.name}`, () => {
    const storage = useStorage(factory);

    it('keeps the blob with the highest serial number, whatever order blobs arrive in', async () => {
      expect(await storage.mdsBlobs.latest()).toBeNull();
      expect(await storage.mdsBlobs.latestSerial()).toBeNull();
      expect(await storage.mdsBlobs.save({ no: 7, jwt: 'seven', nextUpdate: NOW + 1000, storedAt: NOW })).toBe(true);
      expect(await storage.mdsBlobs.save({ no: 9, jwt: 'nine', nextUpdate: NOW + 2000, storedAt: NOW + 1 })).toBe(true);
      expect(await storage.mdsBlobs.save({ no: 8, jwt: 'eight', nextUpdate: NOW + 1500, storedAt: NOW + 2 })).toBe(true);
      expect(await storage.mdsBlobs.latest()).toEqual({ no: 9, jwt: 'nine', nextUpdate: NOW + 2000, storedAt: NOW + 1 });
      expect(await storage.mdsBlobs.latestSerial()).toBe(9);
    });

    it('stores a serial number once, even when instances save it at the same time', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => storage.mdsBlobs.save({ no: 3, jwt: `copy ${i}`, nextUpdate: NOW, storedAt: NOW })));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await storage.mdsBlobs.latestSerial()).toBe(3);
    });

    it('keeps what attestation proved on a credential', async () => {
      const proof = { aaguid: MODEL, certification: 'FIDO_CERTIFIED_L2', hardwareBound: true };
      const c = aCredential({ aaguid: MODEL, attestation: proof });
      await storage.credentials.create(c);
      expect(await storage.credentials.findById(c.id)).toMatchObject({ attestation: proof, modelRevokedBy: null });
    });

    it('marks the keys of a revoked model once, each for exactly one of racing calls', async () => {
      const mine = [aCredential({ aaguid: MODEL, userId: 'u1' }), aCredential({ aaguid: MODEL, userId: 'u2' })];
      const other = aCredential({ aaguid: '0a1b2c3d-0000-4000-8000-000000000002' });
      for (const c of [...mine, other]) await storage.credentials.create(c);
      const calls = await Promise.all(Array.from({ length: 6 }, () => storage.credentials.markModelRevoked(MODEL, 'ATTESTATION_KEY_COMPROMISE', NOW)));
      expect(calls.flat().map((c) => c.id).sort()).toEqual(mine.map((c) => c.id).sort());
      expect(calls.flat().every((c) => c.modelRevokedBy === 'ATTESTATION_KEY_COMPROMISE')).toBe(true);
      expect(await storage.credentials.markModelRevoked(MODEL, 'REVOKED', NOW)).toEqual([]);
      expect((await storage.credentials.findById(mine[0]!.id))?.modelRevokedBy).toBe('ATTESTATION_KEY_COMPROMISE');
      expect((await storage.credentials.findById(other.id))?.modelRevokedBy).toBeNull();
    });
  });
}
