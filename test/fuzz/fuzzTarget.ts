// The real app, on a real store, with people in every session state the API distinguishes,
// for the fuzz suites: anonymous, enrolling (aal 1, no factor yet), pending (password done,
// second factor due) and admin (aal 2, fresh step-up). Rate limits are raised so that 429s
// do not hide the paths behind them.
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import { pino } from 'pino';
import { createApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { cryptoRandom } from '../../server/clock.js';
import type { Storage } from '../../server/storage/port.js';
import { registeredRoutes, type RegisteredRoute } from '../../server/http/openapi/registeredRoutes.js';
import { createTestClock } from '../helpers/testClock.js';
import { freePort } from '../helpers/freePort.js';
import { HttpClient } from '../helpers/httpClient.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { registerKey } from '../helpers/webauthnFlows.js';
import { enrollTotp, signUp } from '../http/totpSteps.js';
import type { TestApp } from '../helpers/testApp.js';

/** anonymous: no cookie. passkey: nobody signed in, a session holding only a ceremony binding. */
export type Persona = 'anonymous' | 'passkey' | 'enrolling' | 'pending' | 'admin';
export const PERSONAS: Persona[] = ['anonymous', 'passkey', 'enrolling', 'pending', 'admin'];

export interface FuzzTarget {
  url: string;
  origin: string;
  config: Config;
  koa: Koa;
  routes: RegisteredRoute[];
  clients: Record<Persona, HttpClient>;
  /** Alice's key (registered with packed self-attestation) and a spare one for registrations. */
  aliceKey: SoftAuthenticator;
  /** A registration response a real key produced, to mutate (its challenge is long spent). */
  sampleRegistration: unknown;
  sampleAuthentication: unknown;
  close(): Promise<void>;
}

const HIGH = '1000000000';

export async function startFuzzTarget(storage: Storage): Promise<FuzzTarget> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    ORIGINS: origin,
    LOG_LEVEL: 'silent',
    DATA_DIR: '/nonexistent-keyward-test-dir',
    SESSION_SECRETS: randomBytes(32).toString('base64url'),
    TOTP_ENCRYPTION_KEYS: `f1:${randomBytes(32).toString('base64')}`,
    ADMIN_USERNAMES: 'root',
    RATE_LIMIT_ACCOUNT_IP_MAX: HIGH,
    RATE_LIMIT_ACCOUNT_MAX: HIGH,
    RATE_LIMIT_IP_MAX: HIGH,
    RATE_LIMIT_DEVICE_MAX: HIGH,
    RATE_LIMIT_SIGNUP_MAX: HIGH,
    RATE_LIMIT_CEREMONY_MAX: HIGH,
  });
  const clock = createTestClock();
  const koa = createApp({ config, storage, clock, random: cryptoRandom, logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }) });
  const server: Server = createServer(koa.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${port}`;
  const app = { url, origin, config, clock, server, client: () => new HttpClient(url, origin) } as unknown as TestApp;

  // alice: a key, an authenticator app and recovery codes; left at the password step.
  const aliceKey = new SoftAuthenticator(origin, { attestation: 'packed' });
  const alice = await signUp(app, 'alice');
  const reg = await registerKey(alice, aliceKey);
  if (reg.status !== 201) throw new Error(`setup: key registration answered ${reg.status}`);
  await enrollTotp(app, alice);
  await alice.delete('/api/session');
  const pass = await alice.post('/api/session', { username: 'alice', password: PASSWORD });
  if ((pass.body as { status?: string }).status !== 'mfa_required') throw new Error('setup: alice is not at the second step');

  // root: an administrator at aal 2; the test clock stands still, so the step-up stays fresh.
  const root = await signUp(app, 'root');
  await enrollTotp(app, root);
  // carol: signed up, no factor yet (may enroll her first one).
  const carol = await signUp(app, 'carol');

  // Real responses to mutate, from ceremonies that then went nowhere.
  const spare = new SoftAuthenticator(origin, { attestation: 'packed' });
  const regOptions = await carol.post('/api/webauthn/registration/options', {});
  const sampleRegistration = spare.register(regOptions.body as never);
  const authOptions = await alice.post('/api/webauthn/authentication/options', {});
  const sampleAuthentication = aliceKey.assert(authOptions.body as never);
  // The token signing keys are made on first use: make them now, not during a fuzz run.
  await app.client().get('/.well-known/jwks.json');
  const passkey = app.client();
  if ((await passkey.post('/api/webauthn/authentication/options', {})).status !== 200) throw new Error('setup: passkey options failed');

  return {
    url,
    origin,
    config,
    koa,
    routes: registeredRoutes(koa),
    clients: { anonymous: app.client(), passkey, enrolling: carol, pending: alice, admin: root },
    aliceKey,
    sampleRegistration,
    sampleAuthentication,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
