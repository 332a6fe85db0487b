// Forward-auth under wrk (a load generator outside Node, so a second worker is not capped by
// an in-process client): GET /api/authz signed in (aal 2) and anonymous, one process and
// WORKERS=2, next to the bare node:http and bare Koa no-ops, in interleaved rounds of the same
// run (the machine may be shared: a round of each target in turn spreads any noise over all).
// CPU-ms per request comes from /proc of the server's processes (the figure to trust on a
// shared machine); resident memory per Keyward process is read after the load.
import { get } from 'node:http';
import { freePort } from '../test/helpers/freePort.js';
import { startCeiling, startKeyward, rssMbOf, treePids, cpuSecondsOf, type Proc } from './servers.js';
import { runWrk, type WrkResult } from './wrk.js';

export interface Target {
  name: string;
  proc: Proc;
  path: string;
  headers?: Record<string, string>;
  /** Answers other than 2xx/3xx are what is measured (anonymous checks: 401), not errors. */
  refused?: boolean;
  /** A process whose CPU is reported next to the server's (the database). */
  dbPid?: number | undefined;
}

export interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  dbCpuMsPerRequest?: number;
  errors: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Each target once per round, `rounds` rounds; medians of each. */
export async function interleaved(wrk: string, targets: Target[], opts: { rounds: number; seconds: number; connections: number }): Promise<Measured[]> {
  const runs = new Map<string, { r: WrkResult; cpu: number; db: number; errors: number }[]>();
  for (const t of targets) await runWrk(wrk, { url: t.proc.url + t.path, headers: t.headers, connections: opts.connections, seconds: 2 });
  for (let round = 0; round < opts.rounds; round++) {
    for (const t of targets) {
      const cpu0 = t.proc.cpuSeconds();
      const db0 = cpuSecondsOf(t.dbPid) ?? 0;
      const r = await runWrk(wrk, { url: t.proc.url + t.path, headers: t.headers, connections: opts.connections, seconds: opts.seconds });
      const cpu = t.proc.cpuSeconds() - cpu0;
      const db = (cpuSecondsOf(t.dbPid) ?? 0) - db0;
      const errors = r.socketErrors + (t.refused ? 0 : r.non2xx);
      runs.set(t.name, [...(runs.get(t.name) ?? []), { r, cpu, db, errors }]);
      console.log(`  round ${round + 1} ${t.name.padEnd(48)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${r.p99.toFixed(1)} ms  ${((cpu * 1000) / r.requests).toFixed(3)} CPU-ms/req${errors ? `  ${errors} errors` : ''}`);
    }
  }
  return targets.map((t) => {
    const all = runs.get(t.name)!;
    return {
      name: t.name,
      rps: median(all.map((x) => x.r.rps)),
      p50: median(all.map((x) => x.r.p50)),
      p99: median(all.map((x) => x.r.p99)),
      cpuMsPerRequest: median(all.map((x) => (x.cpu * 1000) / x.r.requests)),
      ...(t.dbPid !== undefined && { dbCpuMsPerRequest: median(all.map((x) => (x.db * 1000) / x.r.requests)) }),
      errors: all.reduce((s, x) => s + x.errors, 0),
    };
  });
}

/**
 * Bare node:http answering with the headers and body Keyward's signed-in check answered with
 * (taken from one real answer): what any Node handler that writes that answer costs, the
 * floor under the lean handler's own work.
 */
export async function startAnswerCeiling(proc: Proc, path: string, headers: Record<string, string>): Promise<Proc> {
  const answer = await new Promise<{ headers: string[]; body: string }>((resolve, reject) => {
    // Its own connection, closed afterwards: nothing of this request stays open at the server measured.
    get(proc.url + path, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        // Node writes these itself for every answer.
        const own = new Set(['date', 'connection', 'keep-alive']);
        const raw: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) if (!own.has(res.rawHeaders[i]!.toLowerCase())) raw.push(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        resolve({ headers: raw, body: Buffer.concat(chunks).toString('latin1') });
      });
    }).on('error', reject);
  });
  if (!answer.headers.some((h) => h.toLowerCase() === 'remote-user')) throw new Error(`not a signed-in answer: ${JSON.stringify(answer)}`);
  return startCeiling('node-answer', await freePort(), JSON.stringify(answer));
}

export function startCeilings(): Promise<[Proc, Proc]> {
  return Promise.all([freePort().then((p) => startCeiling('node', p)), freePort().then((p) => startCeiling('noop', p))]);
}

/** As the Docker image starts it (WORKERS > 1: the primary gives its workers the same flag itself). */
export const SHIPPED_NODE_ARGS = ['--max-semi-space-size=8'];

export async function startKeywardFor(env: Record<string, string>): Promise<Proc> {
  return startKeyward(await freePort(), env, env['WORKERS'] && env['WORKERS'] !== '1' ? [] : SHIPPED_NODE_ARGS);
}

/** Resident memory of each of the server's processes (with WORKERS > 1: the primary, then the workers). */
export function rssPerProcess(proc: Proc): string {
  return treePids(proc.child.pid)
    .map((pid) => `${(rssMbOf(pid) ?? 0).toFixed(0)} MB`)
    .join(' + ');
}

export function table(rows: Measured[], koaNoop: number): string[] {
  const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
  return [
    '| target | req/s | of Koa no-op | p50 ms | p99 ms | CPU-ms per request | database CPU-ms per request | errors |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${fmt(r.rps)} | ${fmt((r.rps / koaNoop) * 100)}% | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.cpuMsPerRequest, 3)} | ${r.dbCpuMsPerRequest === undefined ? '' : fmt(r.dbCpuMsPerRequest, 3)} | ${r.errors} |`),
  ];
}
