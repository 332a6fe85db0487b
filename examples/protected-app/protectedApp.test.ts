// The example runs as documented (its own process, `npm run example`'s entry point) and
// keeps its promise: the reports page is closed to strangers and open at aal 2.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/helpers/freePort.js';
import { HttpClient } from '../../test/helpers/httpClient.js';
import { PASSWORD } from '../../test/helpers/appFixture.js';
import { signUpWithKey } from '../../test/helpers/webauthnFlows.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Starts the example and resolves once it logs that it listens. */
function start(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('example app listening')) resolve(child);
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`the example exited (${code}) before listening:\n${err}${out}`)));
  });
}

describe('examples/protected-app', () => {
  let child: ChildProcess | undefined;
  let dataDir: string;
  let url: string;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'keyward-example-'));
    url = `http://127.0.0.1:${port}`;
    origin = `http://localhost:${port}`;
    child = await start({ PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'info', MONGODB_URI: '' });
  });
  afterAll(() => {
    child?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves its public page to anyone', async () => {
    const res = await new HttpClient(url, origin).get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('Example app');
  });

  it('answers 401 with the sign-in page to an anonymous visitor of the protected route', async () => {
    const res = await new HttpClient(url, origin).get('/reports');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthenticated', signInUrl: `${origin}/signin` });
  });

  it('answers 403 to a password-only session, and 200 with who it is at aal 2', async () => {
    const pending = new HttpClient(url, origin);
    await pending.post('/api/accounts', { username: 'ivy', password: PASSWORD });
    expect((await pending.get('/reports')).body).toMatchObject({ error: 'mfa_required' });

    const c = new HttpClient(url, origin);
    await signUpWithKey(c, 'judy');
    const res = await c.get('/reports');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reportFor: 'judy', name: 'judy', aal: 2, amr: ['pwd', 'hwk'] });
  });
});
