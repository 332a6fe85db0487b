// WORKERS=2: one Keyward serving its port from two processes (node:cluster). Every request
// below goes out on a new connection, which the cluster hands to the workers in turn, so
// each ceremony hops between processes: what holds across instances must hold here too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../helpers/appFixture.js';
import { burst, countStatuses } from '../helpers/burst.js';
import { startFerretDb, type FerretDb } from '../helpers/ferretdb.js';
import { freePort } from '../helpers/freePort.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { sample } from './prometheusText.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'keyward-workers-'));
let ferret: FerretDb;
beforeAll(async () => {
  ferret = await startFerretDb();
});
afterAll(async () => {
  await ferret.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const stores = [
  { name: 'embedded', env: (): Record<string, string> => ({ DATA_DIR: join(dir, `data-${Math.random()}`) }) },
  { name: 'mongodb', env: (): Record<string, string> => ({ DATA_DIR: join(dir, `data-${Math.random()}`), MONGODB_URI: ferret.uri, MONGODB_DB: `w${Date.now()}` }) },
];

// Each case starts a primary and two workers (with MONGODB_URI each imports the driver), and
// one also a third: on a busy 2-core machine that alone took more than the default 30 s.
const STARTS_A_CLUSTER = { timeout: 120_000 };

describe.each(stores)('two workers ($name)', (store) => {
  let server: ServerProcess;
  let metricsPort: number;
  afterEach(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      process.kill(server.pid, 'SIGTERM');
      expect((await server.exited).code).toBe(0);
    }
  });

  it('runs ceremonies across both workers, spends a recovery code once, and adds up their metrics', STARTS_A_CLUSTER, async () => {
    metricsPort = await freePort();
    server = await startServerProcess({ ...store.env(), WORKERS: '2', METRICS_PORT: String(metricsPort) });
    const c = server.client();
    c.headers['Connection'] = 'close';
    const key = new SoftAuthenticator(server.origin);
    await signUpWithKey(c, 'alice', key);
    const codes = await c.post<{ codes: string[] }>('/api/recovery-codes', {});
    expect(codes.status).toBe(201);
    await c.delete('/api/session');
    await passwordStep(c, 'alice');
    expect((await assertWith(c, key)).status).toBe(200);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2 });

    // The same recovery code 20 times at once, the connections spread over both workers.
    await c.delete('/api/session');
    await passwordStep(c, 'alice');
    const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const answers = await burst(
      server.port,
      Array.from({ length: 20 }, () => ({
        method: 'POST',
        path: '/api/recovery-codes/verify',
        headers: { Cookie: cookie, Origin: server.origin },
        json: { code: codes.body.codes[0] },
      })),
    );
    expect(countStatuses(answers)[200]).toBe(1);

    // Both processes served requests (each log line names its process).
    const pids = new Set(server.logs.filter((l) => l.msg === 'request').map((l) => l['pid']));
    expect(pids.size).toBe(2);
    expect(pids.has(server.pid)).toBe(false);

    // One scrape on the primary's metrics port sums what every worker counted.
    const scraped = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(sample(scraped, 'keyward_http_requests_total', { method: 'POST', route: '/api/accounts', status: '201' })).toBe(1);
    expect(sample(scraped, 'keyward_http_requests_total', { method: 'POST', route: '/api/session', status: '200' })).toBe(2);
  });

  it('replaces a worker that dies, and keeps serving meanwhile', STARTS_A_CLUSTER, async () => {
    server = await startServerProcess({ ...store.env(), WORKERS: '2' });
    const c = server.client();
    c.headers['Connection'] = 'close';
    expect((await c.post('/api/accounts', { username: 'bob', password: PASSWORD })).status).toBe(201);
    const workerPid = Number(server.logs.find((l) => l.msg === 'request')!['pid']);
    process.kill(workerPid, 'SIGKILL');
    const replaced = await new Promise<boolean>((resolve) => {
      const poll = setInterval(() => {
        if (server.logs.some((l) => l.msg === 'a new worker is serving')) {
          clearInterval(poll);
          resolve(true);
        }
      }, 20);
    });
    expect(replaced).toBe(true);
    expect(server.logs.some((l) => l.msg === 'a worker died; starting another' && l['workerPid'] === workerPid)).toBe(true);
    for (let i = 0; i < 4; i++) expect((await c.get('/healthz')).status, JSON.stringify(server.logs.slice(-6))).toBe(200);
    expect((await c.get('/api/session')).body).toMatchObject({ user: { username: 'bob' } });
  });
});
