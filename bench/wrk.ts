// The HTTP load generator outside Node: wrk (Debian package `wrk`). Installed with apt-get
// when missing, as scripts/test.sh installs nginx; null when it cannot be had (the bench then
// keeps to its in-process load generator, loadgen.ts).
import { execFileSync, spawn } from 'node:child_process';

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx/3xx answers. */
  non2xx: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
}

function found(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** The wrk binary, installed when missing (apt-get, with sudo unless root); null when that fails. */
export function ensureWrk(): string | null {
  const have = found();
  if (have) return have;
  console.log('wrk is missing: installing the Debian package');
  try {
    execFileSync('sh', ['-c', 'sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null'], { stdio: 'inherit' });
  } catch {
    return null;
  }
  return found();
}

const MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
const ms = (value: string, unit: string) => Number(value) * (MS[unit] ?? NaN);

/** Parses wrk's `--latency` report. */
export function parseWrk(out: string): WrkResult {
  const requests = Number(/(\d+) requests in ([\d.]+)(\w+)/.exec(out)?.[1] ?? NaN);
  const duration = /\d+ requests in ([\d.]+)(\w+)/.exec(out);
  const seconds = duration ? ms(duration[1]!, duration[2]!) / 1000 : NaN;
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? ms(m[1]!, m[2]!) : NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0;
  return { requests, seconds, rps: requests / seconds, p50: pct('50'), p99: pct('99'), non2xx, socketErrors };
}

export interface WrkRun {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  threads?: number;
}

export function runWrk(bin: string, r: WrkRun): Promise<WrkResult> {
  const args = ['-t', String(r.threads ?? 1), '-c', String(r.connections), '-d', `${r.seconds}s`, '--latency'];
  for (const [k, v] of Object.entries(r.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(r.url);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(parseWrk(out)) : reject(new Error(`wrk exited with ${code}: ${out}`))));
  });
}
