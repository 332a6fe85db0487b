// Rotating TOTP_ENCRYPTION_KEYS: re-seal every secret with the new key, then drop the old one.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cryptoRandom } from '../../server/clock.js';
import { createSecretSealer } from '../../server/totp/createSecretSealer.js';
import { rotateTotpKeys } from '../../server/totp/rotateTotpKeys.js';
import type { Storage } from '../../server/storage/port.js';
import { embeddedFactory, storageFactories } from '../helpers/storageFactories.js';
import { startTestApp, TEST_SECRETS, type TestApp } from '../helpers/testApp.js';
import { nextStep, passwordStep, signUpWithTotp, startEnrollment, verifyTotp } from './totpSteps.js';
import { issueToken, kidOf, verifyToken } from './tokenChecks.js';

const OLD = { id: 'old', key: randomBytes(32) };
const NEW = { id: 'new', key: randomBytes(32) };
const envFor = (...keys: (typeof OLD)[]) => ({ TOTP_ENCRYPTION_KEYS: keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',') });
const REPO = join(import.meta.dirname, '..', '..');

describe.each(storageFactories)('TOTP key rotation ($name)', (factory) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setUp() {
    const created = await factory.create();
    cleanups.push(created.dispose);
    const first = await startTestApp({ storage: created.storage, env: envFor(OLD) });
    cleanups.push(first.close);
    const alice = await signUpWithTotp(first, 'alice');
    await startEnrollment(alice.c, 'Pending while rotating');
    return { storage: created.storage, first, secret: alice.secret };
  }

  async function appWith(storage: Storage, clockFrom: TestApp, ...keys: (typeof OLD)[]) {
    const app = await startTestApp({ storage, env: envFor(...keys), clock: clockFrom.clock });
    cleanups.push(app.close);
    return app;
  }

  it('re-encrypts every secret with the first key, after which the old key can be dropped', async () => {
    const { storage, first, secret } = await setUp();
    nextStep(first);
    const newKeyOnly = await appWith(storage, first, NEW);
    expect((await verifyTotp(newKeyOnly, await passwordStep(newKeyOnly), secret)).status, 'old key still needed before rotation').toBe(401);

    const sealer = createSecretSealer({ keys: [NEW, OLD], random: cryptoRandom });
    const report = await rotateTotpKeys({ store: storage.totp, sealer });
    expect(report).toEqual({ examined: 2, rotated: 2, alreadyCurrent: 0, changedMeanwhile: 0, unreadable: [] });
    expect(await rotateTotpKeys({ store: storage.totp, sealer })).toMatchObject({ examined: 2, rotated: 0, alreadyCurrent: 2 });

    nextStep(first);
    expect((await verifyTotp(newKeyOnly, await passwordStep(newKeyOnly), secret)).status).toBe(200);
  });

  it('re-seals the token signing keys too: with the old key dropped, tokens keep coming from the same key', async () => {
    const { storage, first, secret } = await setUp();
    const c = await passwordStep(first);
    nextStep(first);
    expect((await verifyTotp(first, c, secret)).status).toBe(200);
    const before = kidOf((await issueToken(c)).token); // made the signing key, sealed with the old key

    const report = await rotateTotpKeys({ store: storage.totp, sealer: createSecretSealer({ keys: [NEW, OLD], random: cryptoRandom }), signingKeys: storage.signingKeys });
    expect(report).toMatchObject({ changedMeanwhile: 0, unreadable: [] });
    const keys = await storage.signingKeys.list();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.map((k) => k.privateJwk.keyId)).toEqual(keys.map(() => 'new'));

    const newKeyOnly = await appWith(storage, first, NEW);
    const d = await passwordStep(newKeyOnly);
    nextStep(first);
    expect((await verifyTotp(newKeyOnly, d, secret)).status).toBe(200);
    const token = (await issueToken(d)).token;
    expect(kidOf(token)).toBe(before);
    expect((await verifyToken(newKeyOnly, token)).payload).toMatchObject({ aal: 2 });
  });

  it('leaves a secret alone when no configured key opens it, and says so', async () => {
    const { storage } = await setUp();
    const stranger = { id: 'stranger', key: randomBytes(32) };
    const report = await rotateTotpKeys({ store: storage.totp, sealer: createSecretSealer({ keys: [NEW, stranger], random: cryptoRandom }) });
    expect(report).toMatchObject({ examined: 2, rotated: 0, unreadable: [expect.any(String), expect.any(String)] });
  });
});

describe('keyward totp rotate-keys (the CLI)', () => {
  const run = promisify(execFile);
  const cli = (args: string[], env: Record<string, string>) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: REPO,
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', SESSION_SECRETS: TEST_SECRETS['SESSION_SECRETS']!, ...env },
    });

  it('rotates the configured database, and the server then works with the new key alone', async () => {
    const created = await embeddedFactory.create();
    const first = await startTestApp({ storage: created.storage, env: envFor(OLD) });
    try {
      const { secret } = await signUpWithTotp(first, 'alice');
      const dataDir = dirname((created.storage as Storage & { file: string }).file);
      const { stdout } = await cli(['totp', 'rotate-keys'], { DATA_DIR: dataDir, ...envFor(NEW, OLD) });
      expect(stdout).toContain('examined 1, re-encrypted 1');
      expect(stdout).toContain('the other keys can be removed');
      nextStep(first);
      const second = await startTestApp({ storage: created.storage, env: envFor(NEW), clock: first.clock });
      expect((await verifyTotp(second, await passwordStep(second), secret)).status).toBe(200);
      await second.close();
    } finally {
      await first.close();
      await created.dispose();
    }
  });

  it('is listed by --help, and an unknown command is refused with exit code 2', async () => {
    expect((await cli(['--help'], {})).stdout).toContain('totp rotate-keys');
    const failed = await cli(['no-such-command'], {}).catch((err: { code: number; stderr: string }) => err);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain('unknown command: no-such-command');
  });
});
