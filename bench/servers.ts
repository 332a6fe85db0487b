// Starting and stopping the processes under test: Keyward (the built server) and the ceilings.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

export interface Proc {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  cpuSeconds(): number;
}

async function waitFor(url: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

// Whatever happens to the bench, no server it started outlives it.
const started = new Set<ChildProcess>();
process.on('exit', () => started.forEach((c) => c.kill('SIGKILL')));

/** CPU time of a process so far (user + system), from /proc; null once it has exited. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // clock ticks of 1/100 s
  } catch {
    return null;
  }
}

/** The process and every process it started (WORKERS > 1: the workers do the work). */
function treeCpuSeconds(pid: number | undefined): number | null {
  const own = cpuSecondsOf(pid);
  if (own === null) return null;
  let children: string[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    /* no children file: count the process alone */
  }
  return children.reduce((sum, c) => sum + (treeCpuSeconds(Number(c)) ?? 0), own);
}

function wrap(child: ChildProcess, url: string): Proc {
  let cpu = 0;
  return {
    url,
    child,
    cpuSeconds() {
      cpu = treeCpuSeconds(child.pid) ?? cpu;
      return cpu;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function startKeyward(port: number, env: Record<string, string>, nodeArgs: string[] = []): Promise<Proc> {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist/server/main.js')], {
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  started.add(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/healthz`);
  return wrap(child, url);
}

export async function startCeiling(mode: 'noop' | 'es256' | 'rs256' | 'node' | 'node-answer', port: number, publicJwk = ''): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/ceilingServer.ts'), mode, String(port), publicJwk], { stdio: ['ignore', 'ignore', 'inherit'] });
  started.add(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url);
  return wrap(child, url);
}

/** The pids of a process and of every process it started. */
export function treePids(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    /* gone, or no children file */
  }
  return [pid, ...children.flatMap((c) => treePids(c))];
}

/** Resident memory of a process in MB (VmRSS), null once it has exited. */
export function rssMbOf(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}
