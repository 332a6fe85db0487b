// What a deployment does not use stays unloaded: the WebAuthn library (@simplewebauthn/server and
// its ASN.1 stack) loads at the first ceremony (server/webauthn/loadCeremonyLibrary.ts), ldapts
// only with LDAP_URL (server/directory/ldapDirectory.ts), the YAML parser and the rule regex
// engine only with a file to read (server/loadOnFirstUse.ts). A process that has only answered
// sign-ups and forward-auth checks has loaded none of them, and its first registration and
// sign-in with a key work. What the real process resolves is read from a module resolve hook.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, passwordStep, registerKey } from '../helpers/webauthnFlows.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-first-ceremony-'));
const log = join(dir, 'resolved.txt');
let server: ServerProcess | undefined;
afterAll(async () => {
  if (server) {
    process.kill(server.pid, 'SIGTERM');
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

const loaded = (name: string) => readFileSync(log, 'utf8').includes(`/node_modules/${name}/`);

it('loads neither the WebAuthn library, ldapts, YAML nor the rule regex engine for forward-auth checks; the first ceremony loads WebAuthn, registers a key and signs in with it', async () => {
  writeFileSync(log, '');
  const preload = fileURLToPath(new URL('./resolvedModules.mjs', import.meta.url));
  server = await startServerProcess({ DATA_DIR: join(dir, 'data'), NODE_OPTIONS: `--import=${preload}`, RESOLVED_MODULES_LOG: log, MFA_REQUIRED: 'false' });
  const c = server.client();
  expect((await c.post('/api/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
  for (let i = 0; i < 3; i++) expect((await c.get('/api/authz?aal=1')).status).toBe(200);
  expect((await server.client().get('/api/authz?aal=1')).status).toBe(401);
  // The hook saw the modules loaded at start (Keyward's own, its store's driver) ...
  expect(readFileSync(log, 'utf8')).toContain('better-sqlite3');
  // ... and none of these (no LDAP_URL, ACCESS_RULES_FILE or OIDC_CLIENTS_FILE here).
  for (const name of ['@simplewebauthn/server', 'ldapts', 'yaml', 're2js']) expect(loaded(name), name).toBe(false);

  const key = new SoftAuthenticator(server.origin);
  const registered = await registerKey(c, key);
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  expect(loaded('@simplewebauthn/server')).toBe(true);
  await c.delete('/api/session');
  await passwordStep(c, 'alice');
  expect((await assertWith(c, key)).status).toBe(200);
  expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2 });
});
