// `keyward mds update --file blob.jwt`: the command run against the database of a running
// Keyward. Tests give the command their own root (runMdsUpdate); the real CLI entry, run as
// an operator would, trusts only the FIDO root and refuses anything else.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { TEST_SECRETS, startTestApp, type TestApp } from '../helpers/testApp.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { registerKey } from '../helpers/webauthnFlows.js';
import { createMdsWorld, DAY, type MdsWorld, type TestModel } from '../helpers/mdsWorld.js';
import { runMdsUpdate } from '../../server/mds/mdsCommands.js';
import { FIDO_MDS_ROOT_PEM } from '../../server/mds/fidoRoot.js';
import type { Storage } from '../../server/storage/port.js';

const exec = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'keyward-mds-cli-'));

function write(jwt: string): string {
  const file = join(dir, `blob-${Math.random().toString(36).slice(2)}.jwt`);
  writeFileSync(file, jwt);
  return file;
}

describe('keyward mds update', () => {
  let world: MdsWorld;
  let model: TestModel;
  let storage: Storage & { file: string };
  let dispose: () => Promise<void>;
  let app: TestApp;
  const fresh = () => Date.now() + 30 * DAY;

  beforeAll(async () => {
    world = await createMdsWorld();
  });
  beforeEach(async () => {
    model = await world.model({ description: 'Test Key 5 NFC' });
    const created = await embeddedFactory.create();
    storage = created.storage as Storage & { file: string };
    dispose = created.dispose;
    app = await startTestApp({ storage, mdsRoots: world.roots, env: { ATTESTATION_POLICY: 'mds' } });
  });
  afterEach(async () => {
    await app.close();
    await dispose();
  });

  async function run(args: string[]) {
    const lines: string[] = [];
    const code = await runMdsUpdate(args, { config: app.config, storage, roots: world.roots, clock: app.clock, print: (l) => lines.push(l) });
    return { code, out: lines.join('\n') };
  }

  const cli = (args: string[]) =>
    exec(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'mds', 'update', ...args], {
      cwd: REPO,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', DATA_DIR: dirname(storage.file), ORIGINS: app.origin, ...TEST_SECRETS },
    });

  it('stores a verified blob that the running server then uses, and marks keys of a model reported compromised', async () => {
    expect(await run(['--file', write(await world.blob({ no: 10, nextUpdate: fresh(), models: [model] }))])).toEqual({
      code: 0,
      out: 'FIDO metadata blob 10 stored; 0 registered key(s) marked as of a compromised or revoked model.',
    });
    const alice = app.client();
    await alice.post('/api/accounts', { username: 'alice', password: PASSWORD });
    const key = new SoftAuthenticator(app.origin, { aaguid: model.aaguid, attestationIdentity: await world.attestation(model) });
    expect((await registerKey(alice, key)).status).toBe(201);

    model.statuses = ['USER_KEY_PHYSICAL_COMPROMISE'];
    const second = await run(['--file', write(await world.blob({ no: 11, nextUpdate: fresh(), models: [model] }))]);
    expect(second).toEqual({ code: 0, out: 'FIDO metadata blob 11 stored; 1 registered key(s) marked as of a compromised or revoked model.' });
    const keys = await alice.get<{ modelRevokedBy: string | null }[]>('/api/webauthn/credentials');
    expect(keys.body).toEqual([expect.objectContaining({ modelRevokedBy: 'USER_KEY_PHYSICAL_COMPROMISE' })]);
    const notices = await alice.get<{ type: string }[]>('/api/me/notices');
    expect(notices.body.filter((n) => n.type === 'key.model_revoked')).toHaveLength(1);
  });

  it('refuses a tampered blob, an older blob and no file, keeping the stored one', async () => {
    const good = await world.blob({ no: 10, nextUpdate: fresh(), models: [model] });
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { no: number };
    payload.no = 99;
    const tampered = [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
    const refused = await run(['--file', write(tampered)]);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/^The blob was refused: bad_signature/);
    expect(await storage.mdsBlobs.latest()).toBeNull();

    expect((await run(['--file', write(good)])).code).toBe(0);
    const older = await run(['--file', write(await world.blob({ no: 9, nextUpdate: fresh(), models: [model] }))]);
    expect(older).toEqual({ code: 1, out: 'The blob was refused: older_than_stored: 9 < 10' });
    expect((await run([])).code).toBe(64);
    expect(await storage.mdsBlobs.latestSerial()).toBe(10);
  });

  it('from the command line trusts only the FIDO root: a test-root blob and a tampered blob are refused', async () => {
    const testRootBlob = cli(['--file', write(await world.blob({ no: 10, nextUpdate: fresh(), models: [model] }))]);
    await expect(testRootBlob).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('The blob was refused: not_chained_to_root') });

    // Chained to the real root (its certificate is the whole x5c), but the signature is not its own.
    const root = Buffer.from(FIDO_MDS_ROOT_PEM.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64').toString('base64');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [root] })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ no: 1_000_000, nextUpdate: '2099-01-01', entries: [] })).toString('base64url');
    const forged = cli(['--file', write(`${header}.${body}.${Buffer.alloc(256, 7).toString('base64url')}`)]);
    await expect(forged).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('The blob was refused: bad_signature') });
    expect(await storage.mdsBlobs.latest()).toBeNull();
  });
});
