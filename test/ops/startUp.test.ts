// What an operator reads when Keyward starts, refuses to start, or refuses a request: the
// address people open, one clear line and a failing exit code for a busy port, and error
// codes that are not hidden by the censor meant for TOTP codes.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/freePort.js';
import { spawnServerProcess, startServerProcess, type ServerProcess } from './serverProcess.js';

let dir: string;
let running: ServerProcess | undefined;
let blocker: Server | undefined;

afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGTERM');
    await running.exited;
  }
  running = undefined;
  blocker?.close();
  blocker = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const dataDir = () => (dir = mkdtempSync(join(tmpdir(), 'keyward-startup-')));
async function logged(s: ServerProcess, match: (l: ServerProcess['logs'][number]) => boolean, count: number) {
  for (let waited = 0; s.logs.filter(match).length < count && waited < 100; waited++) await new Promise((r) => setTimeout(r, 50));
  return s.logs.filter(match);
}
const listeningLine = async (s: ServerProcess) => (await logged(s, (l) => l.msg === 'Keyward is listening', 1))[0];

describe('start-up', () => {
  it('announces the address people open (localhost, where sign-up works), not the address it binds', async () => {
    running = await startServerProcess({ DATA_DIR: dataDir(), WORKERS: '2' });
    expect(await listeningLine(running)).toMatchObject({ url: `http://localhost:${running.port}`, listen: `127.0.0.1:${running.port}` });
  });

  it('announces the configured origin', async () => {
    running = await startServerProcess({ DATA_DIR: dataDir(), WORKERS: '1', RP_ID: 'example.test', ORIGINS: 'https://login.example.test' });
    expect(await listeningLine(running)).toMatchObject({ url: 'https://login.example.test', listen: `127.0.0.1:${running.port}` });
  });

  it.each(['1', '2'])('stops with one clear line and exit code 1 when the port is busy (WORKERS=%s)', async (workers) => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    const server = spawnServerProcess({ DATA_DIR: dataDir(), WORKERS: workers }, port);
    const [code] = (await once(server.child, 'close')) as [number | null];
    expect(code).toBe(1);
    // Each worker that tried says it (the same sentence); nothing else is fatal.
    const fatal = server.logs.filter((l) => l.level === 60 && l.msg !== 'a worker failed to start; stopping');
    expect(new Set(fatal.map((l) => JSON.stringify([l.msg, l['error']])))).toEqual(
      new Set([JSON.stringify([`Port ${port} on 127.0.0.1 is already in use: stop the other program or set PORT.`, 'EADDRINUSE'])]),
    );
    expect(JSON.stringify(server.logs)).not.toContain('[redacted]');
    // No stack trace: the sentence is the whole story.
    expect(server.stderr()).not.toMatch(/EADDRINUSE|\n\s+at /);
  });
});

describe('request log', () => {
  it('names the error of every refused request instead of a censored code', async () => {
    running = await startServerProcess({ DATA_DIR: dataDir(), WORKERS: '1' });
    const c = running.client();
    expect((await c.post('/api/session', { username: 'nobody-here', password: 'not the password at all' })).status).toBe(401);
    expect((await c.post('/api/totp/verify', { code: '123456' })).status).toBe(401);
    // The log arrives through a pipe, after the answer.
    const refused = await logged(running, (l) => l.msg === 'request refused', 2);
    expect(refused.map((l) => l['error'])).toEqual(['invalid_credentials', 'unauthenticated']);
    expect(JSON.stringify(running.logs)).not.toContain('[redacted]');
  });
});
