// After a FIDO metadata update reports a key model compromised, administrators see which
// people hold keys of that model in the user list, with the answer shaped as documented.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storageFactories, type StorageFactory } from '../helpers/storageFactories.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { createMdsWorld, DAY, type MdsWorld, type TestModel } from '../helpers/mdsWorld.js';
import { runMdsUpdate } from '../../server/mds/mdsCommands.js';
import type { Storage } from '../../server/storage/port.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-mds-admin-'));

interface Documented {
  components: { schemas: Record<string, { required: string[]; properties: Record<string, { items?: { required: string[]; properties: Record<string, unknown> } }> }> };
}

describe.each(storageFactories)('administrators see keys of a compromised model ($name)', (factory: StorageFactory) => {
  let app: TestApp;
  let dispose: () => Promise<void>;
  afterEach(async () => {
    await app.close();
    await dispose();
  });

  async function update(world: MdsWorld, storage: Storage, no: number, models: TestModel[]) {
    const file = join(dir, `blob-${no}-${Math.random().toString(36).slice(2)}.jwt`);
    writeFileSync(file, await world.blob({ no, nextUpdate: Date.now() + 30 * DAY, models }));
    expect(await runMdsUpdate(['--file', file], { config: app.config, storage, roots: world.roots, clock: app.clock, print: () => {} })).toBe(0);
  }

  it('lists, per user, the keys whose model a blob update reported compromised, with the model name, as the OpenAPI description says', async () => {
    const world = await createMdsWorld();
    const adminModel = await world.model({ description: 'Admin Key' });
    const aliceModel = await world.model({ description: 'Test Key 5 NFC' });
    const created = await factory.create();
    dispose = created.dispose;
    app = await startTestApp({ storage: created.storage, mdsRoots: world.roots, env: { ATTESTATION_POLICY: 'mds', ADMIN_USERNAMES: 'root' } });
    await update(world, created.storage, 10, [adminModel, aliceModel]);

    const root = app.client();
    await signUpWithKey(root, 'root', new SoftAuthenticator(app.origin, { aaguid: adminModel.aaguid, attestationIdentity: await world.attestation(adminModel) }));
    const alice = app.client();
    const { credential } = await signUpWithKey(alice, 'alice', new SoftAuthenticator(app.origin, { aaguid: aliceModel.aaguid, attestationIdentity: await world.attestation(aliceModel) }));
    const before = await root.get<{ username: string; revokedKeys: unknown[] }[]>('/api/admin/users');
    expect(before.status).toBe(200);
    expect(before.body.map((u) => u.revokedKeys)).toEqual([[], []]);

    aliceModel.statuses = ['ATTESTATION_KEY_COMPROMISE'];
    await update(world, created.storage, 11, [adminModel, aliceModel]);

    const after = await root.get<Record<string, unknown>[]>('/api/admin/users');
    const byName = Object.fromEntries(after.body.map((u) => [u['username'], u]));
    expect(byName['alice']?.['revokedKeys']).toEqual([{ id: credential.id, name: 'Test Key 5 NFC', model: 'Test Key 5 NFC', status: 'ATTESTATION_KEY_COMPROMISE' }]);
    expect(byName['root']?.['revokedKeys']).toEqual([]);

    // Every field answered is documented, and every documented required field is answered.
    const doc = (await app.client().get<Documented>('/api/openapi.json')).body;
    const schema = doc.components.schemas['AdminUser']!;
    const entry = schema.properties['revokedKeys']!.items!;
    for (const user of after.body) {
      expect(Object.keys(user).sort()).toEqual(Object.keys(schema.properties).sort());
      expect(Object.keys(user)).toEqual(expect.arrayContaining(schema.required));
    }
    const [revoked] = byName['alice']!['revokedKeys'] as Record<string, unknown>[];
    expect(Object.keys(revoked!).sort()).toEqual(Object.keys(entry.properties).sort());
    const [key] = (await alice.get<Record<string, unknown>[]>('/api/webauthn/credentials')).body;
    expect(Object.keys(key!).sort()).toEqual(Object.keys(doc.components.schemas['Credential']!.properties).sort());
  });
});
