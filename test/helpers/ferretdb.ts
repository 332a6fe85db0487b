// Starts FerretDB v1.24.2 (SQLite backend) on a free loopback port: a real MongoDB
// wire-protocol server for tests. Built by scripts/test.sh from tools/ferretdb into a
// cache folder outside the clone; when it is missing, tests fail and say how to get it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort.js';

export const FERRETDB_BIN =
  process.env['FERRETDB_BIN'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'keyward', 'ferretdb-v1.24.2', 'ferretdb');

export const HOW_TO_GET_A_DATABASE =
  'Tests need a MongoDB wire-protocol server. Either set MONGODB_URI to a real MongoDB ' +
  '(e.g. `docker compose up -d mongo` and MONGODB_URI=mongodb://localhost:27017/?directConnection=true), ' +
  'or build FerretDB with `bash scripts/build-ferretdb.sh` (needs Go; `npm test` does it for you).';

export interface FerretDb {
  uri: string;
  port: number;
  /** The server process (the benchmark reports its CPU time). */
  pid(): number | undefined;
  /** Stops the server (SIGTERM), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

export async function startFerretDb(): Promise<FerretDb> {
  if (!existsSync(FERRETDB_BIN)) throw new Error(`FerretDB not found at ${FERRETDB_BIN}. ${HOW_TO_GET_A_DATABASE}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-ferretdb-'));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawn(FERRETDB_BIN, ['--listen-addr', `127.0.0.1:${port}`, '--sqlite-url', `file:${dataDir}/`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`FerretDB did not start in 20 s: ${stderr}`)), 20_000);
      c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      c.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('READY')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`FerretDB exited with ${code}: ${stderr}`));
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return resolve();
      c.removeAllListeners('exit');
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => c.kill('SIGKILL'), 5000).unref();
    });

  await start();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    pid: () => (child as ChildProcess | null)?.pid,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
