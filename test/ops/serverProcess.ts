// The real server as a child process (node --import tsx server/main.ts, so it runs the
// current source without a build, or the build `npm start` runs), with its JSON log lines collected.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/freePort.js';
import { HttpClient } from '../helpers/httpClient.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  origin: string;
  logs: { msg?: string; level?: number; [k: string]: unknown }[];
  client(): HttpClient;
  /** Resolves with the exit code (or signal) and when it happened. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** Runs `npm start`'s build-if-changed: the built server (`built: true`) is then the current source. */
export function buildServer(): void {
  execFileSync(process.execPath, ['scripts/build-if-changed.mjs'], { cwd: root, stdio: 'ignore' });
}

/**
 * The server process, started but not waited for (a start that must fail, or its logs).
 * `built`: dist/server/main.js as `npm start` runs it (call buildServer first), which starts
 * several times faster than compiling the source in every worker.
 */
export function spawnServerProcess(env: Record<string, string>, p: number, opts: { built?: boolean } = {}): Pick<ServerProcess, 'child' | 'logs' | 'exited'> & { stderr(): string } {
  const child = spawn(process.execPath, opts.built ? ['dist/server/main.js'] : ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(p), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: ServerProcess['logs'] = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal, at: performance.now() })),
  );
  return { child, logs, exited, stderr: () => stderr };
}

export async function startServerProcess(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  // A port picked free can be taken before the child binds it (burst tests open thousands of
  // client sockets on the same range): a start refused with EADDRINUSE is tried on another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, port ?? (await freePort()));
    } catch (err) {
      if (port !== undefined || attempt === 3 || !String((err as Error).message).includes('EADDRINUSE')) throw err;
    }
  }
}

async function startOnce(env: Record<string, string>, p: number): Promise<ServerProcess> {
  const { child, logs, exited, stderr: readStderr } = spawnServerProcess(env, p);
  const url = `http://127.0.0.1:${p}`;
  // A wait, not a bound on start-up: several workers compiling TypeScript on a 2-core machine
  // beside other heavy jobs took more than 20 s once. The give-up only turns a hang into a
  // message naming what the server printed.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${readStderr()} ${JSON.stringify(logs.slice(-3))}`);
    if (Date.now() > deadline) throw new Error(`server did not start in 90 s: ${readStderr()}`);
    if ((await fetch(`${url}/healthz`).catch(() => null))?.ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const origin = `http://localhost:${p}`;
  return { child, pid: child.pid!, port: p, url, origin, logs, client: () => new HttpClient(url, origin), exited };
}
