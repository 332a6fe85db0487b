// The world the screenshots are taken in: Keyward on a free port with the embedded store in a
// temp dir, a fixed clock and seeded randomness (the same pictures every run), a mail sink for
// the confirmation link, an OpenID client that asks for consent, and a few other accounts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { ScureBase32Plugin } from 'otplib';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';
import { createTotpCodes } from '../../server/totp/createTotpCodes.js';
import { CLIENT_DIR } from '../../test/helpers/browser.js';
import { startSmtpSink, type SmtpSink } from '../../test/helpers/smtpSink.js';
import { startTestApp, type TestApp } from '../../test/helpers/testApp.js';
import { createTestClock } from '../../test/helpers/testClock.js';
import { SoftAuthenticator } from '../../test/helpers/softAuthenticator.js';
import { freePort } from '../../test/helpers/freePort.js';
import { seededRandom } from './seededRandom.js';

export const PASSWORD = 'correct horse battery staple';
/** The person whose pages are shown; an administrator, so the admin page is theirs too. */
export const PERSON = { username: 'ada', displayName: 'Ada Lovelace', email: 'ada@example.org' };
/** 3 June 2030, 09:30 UTC: a fixed "now", late enough that cookies set by it stay valid. */
const START = Date.UTC(2030, 5, 3, 9, 30);
const CALLBACK = 'http://localhost:9/callback';
/** The links on the admin page name the port: the same one each run, unless it is taken. */
const PREFERRED_PORT = 4199;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export interface Stage {
  app: TestApp;
  smtp: SmtpSink;
  /** The authorization request of a client that asks for consent (the wiki). */
  consentUrl: string;
  /** The code an authenticator app would show now for a base32 key, by the server's clock. */
  totpCode(base32Key: string): Promise<string>;
  close(): Promise<void>;
}

const totp = createTotpCodes({ periodSeconds: 30, digits: 6, algorithm: 'sha1' });
const base32 = new ScureBase32Plugin();

/** Other accounts for the admin list: one with a key, one that has not set up a factor. */
async function otherAccounts(app: TestApp): Promise<void> {
  for (const [username, withKey] of [['grace', true], ['linus', false]] as const) {
    const c = app.client();
    const created = await c.post('/api/accounts', { username, password: PASSWORD });
    if (created.status !== 201) throw new Error(`could not create ${username}: ${JSON.stringify(created.body)}`);
    if (!withKey) continue;
    const options = await c.post<PublicKeyCredentialCreationOptionsJSON>('/api/webauthn/registration/options', {});
    const key = new SoftAuthenticator(c.origin);
    const registered = await c.post('/api/webauthn/registration/verify', { response: key.register(options.body), name: 'YubiKey' });
    if (registered.status !== 201) throw new Error(`could not add a key for ${username}: ${JSON.stringify(registered.body)}`);
  }
}

export async function startStage(): Promise<Stage> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-screenshots-'));
  const clientsFile = join(dir, 'clients.yaml');
  // reports.example.com is for staff only, which Ada is not: the no-access page.
  const rulesFile = join(dir, 'rules.yaml');
  writeFileSync(rulesFile, 'default_policy: deny\nrules:\n  - domain: reports.example.com\n    subject: group:staff\n    policy: one_factor\n');
  writeFileSync(clientsFile, `- client_id: wiki\n  client_secret: wiki-secret-0123456789\n  redirect_uris: [${CALLBACK}]\n  client_name: Team Wiki\n`);
  const smtp = await startSmtpSink();
  const storage = createEmbeddedStorage({ dataDir: dir });
  const app = await startTestApp({
    storage,
    port: (await isFree(PREFERRED_PORT)) ? PREFERRED_PORT : await freePort(),
    clientDir: CLIENT_DIR,
    clock: createTestClock(START),
    random: seededRandom('keyward screenshots'),
    env: { ADMIN_USERNAMES: PERSON.username, SMTP_URL: smtp.url, OIDC_CLIENTS_FILE: clientsFile, AUTHZ_RETURN_DOMAINS: 'localhost', ACCESS_RULES_FILE: rulesFile, TRUST_PROXY: 'true' },
  });
  await otherAccounts(app);
  const query = new URLSearchParams({ client_id: 'wiki', response_type: 'code', scope: 'openid profile groups', redirect_uri: CALLBACK, state: 'screenshot' });
  return {
    app,
    smtp,
    consentUrl: `${app.origin}/oidc/auth?${query}`,
    totpCode: (key) => totp.generate(base32.decode(key.replace(/\s/g, '')), app.clock.now()),
    async close() {
      await app.close();
      await smtp.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
