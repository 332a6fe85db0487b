// `npx tsx bench/flood.ts [N]` (default 3,000): N simultaneous wrong TOTP codes, split over two
// Keyward processes on one FerretDB database, then over one port served by WORKERS=2 on the
// embedded store. Prints, per setup: every answer's status, how many codes were evaluated (read
// from the processes' own metrics), the slowest /healthz during the flood, how long the flood
// took to be answered, when /readyz was 200 again and whether a normal password step works on
// each instance. bench/flood.md holds a run. Needs the built client (`npm run build`).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { startFerretDb } from '../test/helpers/ferretdb.js';
import { freePort } from '../test/helpers/freePort.js';
import { floodTotp, passwordStepStatus, readyAgain, sharedSecrets, type FloodTarget } from '../test/helpers/flood.js';
import { startServerProcess, type ServerProcess } from '../test/ops/serverProcess.js';

const N = Number(process.argv[2] ?? 3000);
const dir = mkdtempSync(join(tmpdir(), 'keyward-flood-bench-'));
const servers: ServerProcess[] = [];

/** Asks /healthz every 100 ms while the flood runs; the slowest answer (or the failures). */
function watchHealth(ports: number[]) {
  let slowest = 0;
  let failed = 0;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      for (const port of ports) {
        const started = performance.now();
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false);
        if (!ok) failed++;
        slowest = Math.max(slowest, performance.now() - started);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => ((stop = true), await loop, { slowestMs: Math.round(slowest), failed });
}

async function measure(name: string, targets: FloodTarget[], origin: string): Promise<void> {
  const ports = [...new Set(targets.map((t) => t.port))];
  const health = watchHealth(ports);
  const started = performance.now();
  const result = await floodTotp(targets, origin, N);
  const answeredMs = performance.now() - started;
  const { slowestMs, failed } = await health();
  const ready: string[] = [];
  for (const port of ports) {
    const t = performance.now();
    await readyAgain(port, 100);
    ready.push(`${Math.round(performance.now() - t)} ms`);
  }
  const steps: number[] = [];
  for (let i = 0; i < 4; i++) steps.push(await passwordStepStatus(ports[i % ports.length]!, origin));
  console.log(
    `| ${name} | ${N} | ${JSON.stringify(result.statuses)} | ${result.evaluated} | ${(answeredMs / 1000).toFixed(1)} s | ${slowestMs} ms${failed ? ` (${failed} failed)` : ''} | ${ready.join(', ')} | ${steps.join(', ')} |`,
  );
}

async function stopAll(): Promise<void> {
  for (const s of servers.splice(0)) {
    s.child.kill('SIGTERM');
    await s.exited;
  }
}

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average before: ${execSync('cat /proc/loadavg').toString().split(' ').slice(0, 3).join(' ')}`);
console.log('| setup | sent at once | statuses | evaluated | all answered after | slowest /healthz during the flood | /readyz 200 again after the flood | password step after (4 new connections) |');
console.log('|---|---|---|---|---|---|---|---|');
const ferret = await startFerretDb();
try {
  const [portA, portB] = [await freePort(), await freePort()];
  const origin = `http://localhost:${portA}`;
  const common = { ...sharedSecrets(), MONGODB_URI: ferret.uri, MONGODB_DB: 'flood', ORIGINS: origin, WORKERS: '1', LOG_LEVEL: 'warn' };
  const targets: FloodTarget[] = [];
  for (const port of [portA, portB]) {
    const metricsPort = await freePort();
    servers.push(await startServerProcess({ ...common, DATA_DIR: join(dir, `m${port}`), METRICS_PORT: String(metricsPort) }, port));
    targets.push({ port, metricsPort });
  }
  await measure('two instances, FerretDB', targets, origin);
  await stopAll();

  const port = await freePort();
  const metricsPort = await freePort();
  servers.push(await startServerProcess({ ...sharedSecrets(), DATA_DIR: join(dir, 'embedded'), WORKERS: '2', METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' }, port));
  await measure('embedded, WORKERS=2', [{ port, metricsPort }], `http://localhost:${port}`);
} finally {
  await stopAll();
  await ferret.dispose();
  rmSync(dir, { recursive: true, force: true });
}
