// Runs the real app (createApp) on a real HTTP server on a free loopback port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, type X509Certificate } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { createApp, type BackgroundWork } from '../../server/app.js';
import type { KeywardApp } from '../../server/http/keywardApp.js';
import { loadConfig, type Config, type Env } from '../../server/config.js';
import { cryptoRandom, type Random } from '../../server/clock.js';
import type { Storage } from '../../server/storage/port.js';
import { createTestClock, type TestClock } from './testClock.js';
import { HttpClient } from './httpClient.js';
import type { RulesHolder } from '../../server/access/rules/createRulesHolder.js';
import { answerClientErrors } from '../../server/http/clientErrors.js';

export const TEST_SECRETS: Env = {
  SESSION_SECRETS: randomBytes(32).toString('base64url'),
  TOTP_ENCRYPTION_KEYS: `t1:${randomBytes(32).toString('base64')}`,
};

export interface TestApp {
  url: string;
  origin: string;
  config: Config;
  clock: TestClock;
  server: Server;
  /** What runServer's timer runs (expired sessions' single sign-on, back-channel logouts). */
  background: BackgroundWork;
  /** The app itself (its koaCallback() is Koa alone, without the forward-auth handler in front). */
  app: KeywardApp;
  client(): HttpClient;
  close(): Promise<void>;
}

export async function startTestApp(opts: {
  storage: Storage;
  env?: Env;
  clock?: TestClock;
  /** Seeded randomness, where the same run must show the same codes (scripts/screenshots). */
  random?: Random;
  clientDir?: string;
  port?: number;
  /** ACCESS_RULES_FILE loaded by the test, to reload it as SIGHUP would. */
  accessRules?: RulesHolder;
  /** A test CA standing in for the FIDO root (test/helpers/mdsWorld.ts). */
  mdsRoots?: X509Certificate[];
  /** Where the app logs (a test reading what was logged); silent otherwise. */
  logger?: Logger;
}): Promise<TestApp> {
  // The server listens before the app exists (its origin names the port): a port picked free
  // and bound later could be taken meanwhile by another test process (EADDRINUSE in a CI run).
  const server = createServer();
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://localhost:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    ORIGINS: origin,
    LOG_LEVEL: 'silent',
    DATA_DIR: '/nonexistent-keyward-test-dir',
    ...TEST_SECRETS,
    ...opts.env,
  });
  const clock = opts.clock ?? createTestClock();
  const app = createApp({
    config,
    storage: opts.storage,
    clock,
    random: opts.random ?? cryptoRandom,
    logger: opts.logger ?? pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    clientDir: opts.clientDir,
    ...(opts.accessRules && { accessRules: opts.accessRules }),
    ...(opts.mdsRoots && { mdsRoots: opts.mdsRoots }),
  });
  server.on('request', app.callback());
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin,
    config,
    clock,
    server,
    background: app.background,
    app,
    client: () => new HttpClient(url, origin),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
