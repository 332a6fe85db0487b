// `npx tsx bench/idleRss.ts [rounds] [seconds]`: the resident memory of each Keyward process
// (WORKERS=2: the primary, then the workers) once it has served `seconds` (default 60) of
// signed-in forward-auth checks under wrk (32 connections) and been idle 5 s, `rounds` times
// (default 3), each round a fresh Keyward, as the Docker image starts it. Issue 23's goal:
// ≤ 120 MB per worker. Needs `npm run build` (it starts dist/server/main.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createEmbeddedStorage } from '../server/storage/embedded/createEmbeddedStorage.js';
import { createPasswordHasher } from '../server/accounts/passwordHasher.js';
import { seedUsers } from './seed.js';
import { keywardEnv } from './keywardEnv.js';
import { ensureWrk, runWrk } from './wrk.js';
import { rssPerProcess, startKeywardFor } from './forwardAuthWrk.js';
import { PASSWORD } from './constants.js';

const [rounds = 3, seconds = 60] = process.argv.slice(2).map(Number);
const ORIGIN = 'http://localhost:3999';
const SECRET = randomBytes(32).toString('base64url');
const TOTP_KEY = { id: 'bench', key: randomBytes(32) };

async function main() {
  const wrk = ensureWrk();
  if (!wrk) throw new Error('wrk is needed (apt-get install wrk)');
  const dir = mkdtempSync(join(tmpdir(), 'keyward-idle-rss-'));
  const storage = createEmbeddedStorage({ dataDir: dir });
  const passwordHash = await createPasswordHasher().hash(PASSWORD);
  const [user] = await seedUsers(storage, { count: 1, origin: ORIGIN, rpId: 'localhost', sessionSecret: SECRET, totpKey: TOTP_KEY, passwordHash, recoveryCodesPerUser: 0, prefix: 'rss' });
  await storage.close();
  for (let round = 1; round <= rounds; round++) {
    const keyward = await startKeywardFor(keywardEnv({ DATA_DIR: dir, WORKERS: process.env['WORKERS'] ?? '2' }, SECRET, TOTP_KEY, ORIGIN));
    const started = `after start ${rssPerProcess(keyward)}`;
    const r = await runWrk(wrk, { url: `${keyward.url}/api/authz`, headers: { Cookie: user!.cookie }, connections: 32, seconds });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    console.log(`round ${round}: ${started}; after ${seconds} s of load (${r.rps.toFixed(0)} req/s, ${r.non2xx + r.socketErrors} errors) and 5 s idle: ${rssPerProcess(keyward)}`);
    await keyward.stop();
  }
  rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
