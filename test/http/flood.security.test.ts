// A flood is answered and the service comes back by itself (issue 21). Thousands of wrong
// codes at once against real server processes: every connection gets a status, the guard
// still evaluates no more than the budget, and afterwards every instance is ready and
// serves a normal sign-in without a restart. No timing is asserted: "afterwards" is polled,
// under a generous test time-out (bench/flood.ts measures the times, with 3,000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { freePort } from '../helpers/freePort.js';
import { mongoUri } from '../helpers/storageFactories.js';
import { floodTotp, passwordStepStatus, readyAgain, sharedSecrets, type FloodTarget } from '../helpers/flood.js';
import { startServerProcess, type ServerProcess } from '../ops/serverProcess.js';
import { createMongoStorage } from '../../server/storage/mongo/createMongoStorage.js';
import type { Storage } from '../../server/storage/port.js';
import { BUSY_MESSAGE } from '../../server/http/inFlightLimit.js';
import { startFerretDb, type FerretDb } from '../helpers/ferretdb.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';
import { burst } from '../helpers/burst.js';
import { PASSWORD } from '../helpers/appFixture.js';

// Enough to fill each process's in-flight limit (256) several times over and its database
// pool far beyond; small enough for a busy 2-core machine (bench/flood.ts sends 3,000).
const N = 1000;
const BUDGET = 5;
const dir = mkdtempSync(join(tmpdir(), 'keyward-flood-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What must hold after any flood: answered, at most the budget evaluated, refusals say when to retry. */
function expectAnsweredWithinBudget(result: Awaited<ReturnType<typeof floodTotp>>): void {
  const summary = JSON.stringify({ statuses: result.statuses, evaluated: result.evaluated });
  // Not 0 (a connection closed without an answer) nor 500; burst() itself fails on a reset.
  for (const status of Object.keys(result.statuses).map(Number)) expect([401, 429, 503], summary).toContain(status);
  expect(result.evaluated, summary).toBeLessThanOrEqual(BUDGET);
  expect(result.statuses[401] ?? 0, summary).toBeLessThanOrEqual(result.evaluated);
  const refused = result.responses.filter((r) => r.status !== 401);
  expect(refused.every((r) => Number(r.headers['retry-after']) > 0), summary).toBe(true);
}

describe('a flood of wrong TOTP codes', () => {
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.child.kill('SIGTERM');
        await s.exited;
      }
    }
  });

  it(`two instances on one MongoDB database: ${N} codes at once are all answered, at most ${BUDGET} evaluated, and both serve again`, { timeout: 300_000 }, async () => {
    const dbName = `kw_flood_${randomBytes(4).toString('hex')}`;
    const [portA, portB] = [await freePort(), await freePort()];
    const origin = `http://localhost:${portA}`;
    const common = { ...sharedSecrets(), MONGODB_URI: mongoUri(), MONGODB_DB: dbName, ORIGINS: origin, WORKERS: '1', LOG_LEVEL: 'warn' };
    const targets: FloodTarget[] = [];
    for (const port of [portA, portB]) {
      const metricsPort = await freePort();
      servers.push(await startServerProcess({ ...common, DATA_DIR: join(dir, `m${port}`), METRICS_PORT: String(metricsPort) }, port));
      targets.push({ port, metricsPort });
    }
    try {
      expectAnsweredWithinBudget(await floodTotp(targets, origin, N));
      for (const t of targets) await readyAgain(t.port);
      for (const t of targets) expect(await passwordStepStatus(t.port, origin)).toBe(200);
    } finally {
      const client = await MongoClient.connect(mongoUri());
      await client.db(dbName).dropDatabase().finally(() => client.close());
    }
  });

  it(`the embedded store with WORKERS=2: ${N} codes at once are all answered, at most ${BUDGET} evaluated, and both workers serve again`, { timeout: 300_000 }, async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const origin = `http://localhost:${port}`;
    servers.push(await startServerProcess({ ...sharedSecrets(), DATA_DIR: join(dir, 'embedded'), WORKERS: '2', METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' }, port));
    const targets = [{ port, metricsPort }];
    expectAnsweredWithinBudget(await floodTotp(targets, origin, N));
    await readyAgain(port);
    // Each new connection goes to the next worker: four reach both of them twice.
    for (let i = 0; i < 4; i++) expect(await passwordStepStatus(port, origin)).toBe(200);
  });
});

describe('requests beyond MAX_REQUESTS_IN_FLIGHT while the database does not answer', () => {
  const LIMIT = 20;
  let db: FerretDb;
  let storage: Storage;
  let app: TestApp;
  beforeAll(async () => {
    db = await startFerretDb();
    storage = await createMongoStorage({ uri: db.uri, dbName: 'stalled', timeoutMs: 1000 });
    app = await startTestApp({ storage, env: { DB_TIMEOUT_MS: '1000', MAX_REQUESTS_IN_FLIGHT: String(LIMIT) } });
  });
  afterAll(async () => {
    const pid = db?.pid();
    if (pid) process.kill(pid, 'SIGCONT');
    await app?.close();
    await storage?.close();
    await db?.dispose();
  });

  it('are refused at once with 503 and Retry-After, health answers, and it all serves again when the database does', async () => {
    expect((await app.client().post('/api/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    // Stopped, not gone: connections stay open and nothing answers on them, so every
    // database operation waits as long as the driver lets it.
    process.kill(db.pid()!, 'SIGSTOP');
    const port = Number(new URL(app.url).port);
    const headers = { Origin: app.origin };
    const answers = await burst(port, Array.from({ length: 5 * LIMIT }, (_, i) => ({ method: 'POST', path: '/api/session', headers, json: { username: 'alice', password: `wrong ${i}` } })));
    // Whatever was let in waited for the database (and was answered 503 when its wait ran
    // out); everything beyond the limit was refused without waiting for anything.
    expect(answers.every((r) => r.status === 503 && Number(r.headers['retry-after']) > 0), JSON.stringify(answers.map((r) => r.status))).toBe(true);
    const busy = answers.filter((r) => (JSON.parse(r.body) as { message: string }).message === BUSY_MESSAGE);
    expect(busy.length).toBeGreaterThanOrEqual(2 * LIMIT);
    // Still stopped: liveness says alive, readiness says not ready (its ping gave up).
    expect((await app.client().get('/healthz')).status).toBe(200);
    expect((await app.client().get('/readyz')).status).toBe(503);

    process.kill(db.pid()!, 'SIGCONT');
    await readyAgain(port);
    const after = await app.client().post('/api/session', { username: 'alice', password: PASSWORD });
    expect(after.status, JSON.stringify(after.body)).toBe(200);
  });
});
