// `npx tsx bench/guessBurst.ts [N]`: N simultaneous wrong guesses per factor (password, TOTP
// code, recovery code, security-key assertion) against a fresh Keyward on each store, and how
// many were evaluated (401) rather than refused unevaluated (429). The figures in README's
// "Brute force" table come from this. Every connection is opened first, then every request is
// written in one tick (test/helpers/burst.ts), as an attacker would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { generate } from 'otplib';
import { createEmbeddedStorage } from '../server/storage/embedded/createEmbeddedStorage.js';
import { createMongoStorage } from '../server/storage/mongo/createMongoStorage.js';
import type { Storage } from '../server/storage/port.js';
import { startFerretDb } from '../test/helpers/ferretdb.js';
import { startTestApp, type TestApp } from '../test/helpers/testApp.js';
import { asClient, burst, countStatuses } from '../test/helpers/burst.js';
import type { HttpClient } from '../test/helpers/httpClient.js';
import { SoftAuthenticator } from '../test/helpers/softAuthenticator.js';

const N = Number(process.argv[2] ?? 300);
const PASSWORD = 'correct horse battery staple';
const code = (secret: string, app: TestApp) => generate({ secret, epoch: Math.floor(app.clock.now() / 1000) });

async function withTotp(app: TestApp, username: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const c = app.client();
  await c.post('/api/accounts', { username, password: PASSWORD });
  const e = (await c.post<{ id: string; secret: string }>('/api/totp/authenticators', {})).body;
  const done = await c.post<{ recoveryCodes: string[] }>(`/api/totp/authenticators/${e.id}/confirm`, { code: await code(e.secret, app) });
  return { secret: e.secret, recoveryCodes: done.body.recoveryCodes };
}

async function afterPassword(app: TestApp, username: string): Promise<HttpClient> {
  const c = app.client();
  await c.post('/api/session', { username, password: PASSWORD });
  return c;
}

const factors: Record<string, (app: TestApp) => Promise<{ client: HttpClient; path: string; body: (i: number) => unknown }>> = {
  password: async (app) => {
    await withTotp(app, 'alice');
    return { client: app.client(), path: '/api/session', body: (i) => ({ username: 'alice', password: `wrong ${i}` }) };
  },
  'TOTP code': async (app) => {
    const { secret } = await withTotp(app, 'alice');
    const right = await code(secret, app);
    return { client: await afterPassword(app, 'alice'), path: '/api/totp/verify', body: () => ({ code: right === '000000' ? '000001' : '000000' }) };
  },
  'recovery code': async (app) => {
    await withTotp(app, 'alice');
    const { recoveryCodes } = await withTotp(app, 'mallory');
    return { client: await afterPassword(app, 'alice'), path: '/api/recovery-codes/verify', body: (i) => ({ code: recoveryCodes[i % recoveryCodes.length] }) };
  },
  'security-key assertion': async (app) => {
    const owner = app.client();
    const key = new SoftAuthenticator(owner.origin);
    await owner.post('/api/accounts', { username: 'alice', password: PASSWORD });
    const reg = await owner.post<PublicKeyCredentialCreationOptionsJSON>('/api/webauthn/registration/options', {});
    await owner.post('/api/webauthn/registration/verify', { response: key.register(reg.body) });
    const attacker = await afterPassword(app, 'alice');
    const options = await attacker.post<PublicKeyCredentialRequestOptionsJSON>('/api/webauthn/authentication/options', {});
    const forged = key.assert(options.body, { badSignature: true });
    return { client: attacker, path: '/api/webauthn/authentication/verify', body: () => ({ response: forged }) };
  },
};

async function measure(store: string, open: () => Promise<{ storage: Storage; dispose(): Promise<void> }>) {
  for (const [factor, setUp] of Object.entries(factors)) {
    const { storage, dispose } = await open();
    const app = await startTestApp({ storage });
    try {
      const { client, path, body } = await setUp(app);
      const counts = countStatuses(await burst(Number(new URL(app.url).port), Array.from({ length: N }, (_, i) => asClient(client, 'POST', path, body(i)))));
      console.log(`| ${factor} | ${store} | ${N} | ${counts[401] ?? 0} | ${counts[429] ?? 0} | ${JSON.stringify(counts)} |`);
    } finally {
      await app.close();
      await dispose();
    }
  }
}

console.log('| factor | store | sent at once | evaluated (401) | refused (429) | all statuses |\n|---|---|---|---|---|---|');
await measure('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-burst-'));
  const storage = createEmbeddedStorage({ dataDir: dir });
  return { storage, dispose: async () => (await storage.close(), rmSync(dir, { recursive: true, force: true })) };
});
const ferret = await startFerretDb();
let n = 0;
try {
  await measure('FerretDB (MongoDB wire)', async () => {
    const storage = await createMongoStorage({ uri: ferret.uri, dbName: `burst_${n++}`, timeoutMs: 5000 });
    return { storage, dispose: () => storage.close() };
  });
} finally {
  await ferret.dispose();
}
