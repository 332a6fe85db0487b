// `npm run bench:profile -- <path> [seconds]`: where does a path's time go? Seeds the
// embedded store, runs Keyward under --cpu-prof with CONCURRENCY connections on one path, then prints
// the functions with the most self time and the time per module (Keyward file or package).
// path: webauthn | totp | authz | authz-anon | authz-rules (100 access rules, the last one
// matching) | whoami | password | journey, or noop (the bare Koa
// ceiling, for its CPU per request); add `ferretdb` to run it on FerretDB instead;
// EMBEDDED_DURABILITY=normal profiles the store without fsync; CONCURRENCY=n (default 8);
// PROFILE=0 runs without --cpu-prof (the profiler itself costs CPU per request); NODE_ARGS='…'
// passes flags to Keyward's node; WORKERS=n starts n workers. It also prints the memory of
// the process that answered (with WORKERS > 1, the primary's: read a worker's from its pid).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createEmbeddedStorage } from '../server/storage/embedded/createEmbeddedStorage.js';
import { createPasswordHasher } from '../server/accounts/passwordHasher.js';
import { createMongoStorage } from '../server/storage/mongo/createMongoStorage.js';
import { startFerretDb } from '../test/helpers/ferretdb.js';
import { freePort } from '../test/helpers/freePort.js';
import { Http, run, summarize } from './loadgen.js';
import { seedUsers } from './seed.js';
import { startCeiling, startKeyward } from './servers.js';
import { authzIteration, ceilingIteration, journeyIteration, passwordIteration, totpIteration, totpPool, webauthnIteration } from './scenarios.js';
import { PASSWORD } from './constants.js';
import { keywardEnv } from './keywardEnv.js';
import { FORWARDED, writeHundredRules } from './accessRules.js';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const args = process.argv.slice(2).filter((a) => a !== 'ferretdb');
const onFerret = process.argv.includes('ferretdb');
const [path = 'totp', secondsArg = '5'] = args;
const seconds = Number(secondsArg);
const ORIGIN = 'http://localhost:3999';
const SECRET = randomBytes(32).toString('base64url');
const TOTP_KEY = { id: 'bench', key: randomBytes(32) };

function where(url: string): string {
  if (!url) return '(native/gc)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const k = /dist\/(server\/.*)$/.exec(url);
  if (k) return k[1]!;
  return url.startsWith('node:') ? url : url.replace(/^file:\/\//, '');
}

function report(profile: Profile, top = 30) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    const m = where(n.callFrame.url);
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`\nself time by module (${(total / 1e6).toFixed(1)} s sampled):`);
  [...mod].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, v]) => console.log(`${pct(v)}  ${k}`));
  console.log('\nself time by function:');
  [...fn].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, v]) => console.log(`${pct(v)}  ${k}`));
}

/** Database calls per measured request and their mean latency, read from Keyward's own metrics. */
async function dbCounters(http: Http) {
  const text = (await http.get('/metrics')).body;
  const series = (kind: string) =>
    new Map([...text.matchAll(new RegExp(`^keyward_db_operation_duration_seconds_${kind}\\{store="(\\w+)",operation="(\\w+)",outcome="ok"\\} ([\\d.e+-]+)`, 'gm'))].map((m) => [`${m[1]}.${m[2]}`, Number(m[3])]));
  return { sums: series('sum'), counts: series('count') };
}

/** Database calls per measured request and their mean latency, read from Keyward's own metrics (less the warm-up's). */
async function dbCallsPerRequest(http: Http, requests: number, before: Awaited<ReturnType<typeof dbCounters>>) {
  const after = await dbCounters(http);
  const calls = [...after.counts]
    .map(([op, total]) => [op, total - (before.counts.get(op) ?? 0), after.sums.get(op)! - (before.sums.get(op) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([op, n, sum]) => [op, n / requests, (sum / n) * 1000] as const).filter(([, n]) => n >= 0.05).sort((a, b) => b[1] - a[1]);
  console.log(`\ndatabase calls per request (${calls.reduce((a, [, n]) => a + n, 0).toFixed(1)} in all), mean ms each:`);
  for (const [op, n, ms] of calls) console.log(`${n.toFixed(2).padStart(6)}  ${ms.toFixed(2).padStart(7)} ms  ${op}`);
}

/** The ceiling's CPU per request, measured like Keyward's below (no profiler: the ceiling runs bare). */
async function noopCeiling() {
  const server = await startCeiling('noop', await freePort());
  const http = new Http(server.url, ORIGIN);
  await run(8, 500, ceilingIteration(http, {}));
  const cpuBefore = server.cpuSeconds();
  const r = await run(Number(process.env['CONCURRENCY'] ?? 8), seconds * 1000, ceilingIteration(http, {}));
  const cpuMs = ((server.cpuSeconds() - cpuBefore) * 1000) / Math.max(1, r.samples.length);
  const s = summarize(r.samples, 'request', r.seconds);
  console.log(`noop ceiling: ${s.rps.toFixed(0)} req/s  p50 ${s.p50.toFixed(1)}  p99 ${s.p99.toFixed(1)} ms  errors ${s.errors}  CPU ${cpuMs.toFixed(3)} ms/request`);
  http.close();
  await server.stop();
}

/** VmRSS and its anonymous (heap, stacks) and file-backed (the node binary, libraries) parts, from /proc. */
function memoryOf(pid: number | undefined): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const mb = (k: number) => `${(k / 1024).toFixed(0)} MB`;
  return `RSS ${mb(kb('VmRSS'))} (anonymous ${mb(kb('RssAnon'))}, files ${mb(kb('RssFile'))}, shared memory ${mb(kb('RssShmem'))})`;
}

async function main() {
  if (path === 'noop') return noopCeiling();
  const profiling = process.env['PROFILE'] !== '0';
  // NODE_ARGS: flags for Keyward's node (e.g. V8 heap sizes), to weigh memory against CPU.
  const nodeArgs = (process.env['NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  // WORKERS=2: one Keyward of two workers (its CPU is the primary's and the workers' together).
  const workers = process.env['WORKERS'];
  const seedDir = mkdtempSync(join(tmpdir(), 'keyward-profile-'));
  const ferret = onFerret ? await startFerretDb() : null;
  const durability = process.env['EMBEDDED_DURABILITY'];
  const store: Record<string, string> = ferret ? { MONGODB_URI: ferret.uri, MONGODB_DB: 'keyward_profile' } : { DATA_DIR: seedDir, ...(durability && { EMBEDDED_DURABILITY: durability }) };
  const storage = ferret ? await createMongoStorage({ uri: ferret.uri, dbName: 'keyward_profile', timeoutMs: 5000 }) : createEmbeddedStorage({ dataDir: seedDir });
  const passwordHash = await createPasswordHasher().hash(PASSWORD);
  const users = await seedUsers(storage, { count: ferret ? 400 : path === 'totp' ? 6000 : 1000, origin: ORIGIN, rpId: 'localhost', sessionSecret: SECRET, totpKey: TOTP_KEY, passwordHash, recoveryCodesPerUser: 0, prefix: 'p' });
  await storage.close();
  const profDir = mkdtempSync(join(tmpdir(), 'keyward-cpuprof-'));
  const rules: Record<string, string> = path === 'authz-rules' ? { TRUST_PROXY: 'true', ACCESS_RULES_FILE: writeHundredRules(seedDir) } : {};
  const server = await startKeyward(await freePort(), keywardEnv({ ...store, ...rules, METRICS_PUBLIC: 'true', ...(workers && { WORKERS: workers }) }, SECRET, TOTP_KEY, ORIGIN), [...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...nodeArgs]);
  const http = new Http(server.url, ORIGIN);
  const on = () => http;
  const iteration =
    path === 'webauthn' ? webauthnIteration(users, on, on)
    : path === 'authz' ? authzIteration(users, on)
    : path === 'authz-anon' ? authzIteration(users.map((u) => ({ ...u, cookie: '' })), on)
    : path === 'authz-rules' ? authzIteration(users, on, FORWARDED)
    : path === 'whoami' ? authzIteration(users, on, {}, '/api/whoami')
    : path === 'password' ? passwordIteration(users, on)
    : path === 'journey' ? journeyIteration(users, on)
    : totpIteration(await totpPool(users, Date.now()), on);
  // Warm-up (JIT, caches, the first connections) outside the figures.
  await run(8, 500, iteration);
  const dbBefore = await dbCounters(http);
  const cpuBefore = server.cpuSeconds();
  const r = await run(Number(process.env['CONCURRENCY'] ?? 8), seconds * 1000, iteration);
  // Keyward's own CPU per request (user + system, under the profiler), so a change shows its cost
  // even when the load generator on the same cores holds the rate back.
  const cpuMs = ((server.cpuSeconds() - cpuBefore) * 1000) / Math.max(1, r.samples.length);
  const s = summarize(r.samples, path === 'journey' ? 'journey' : 'verify', r.seconds);
  console.log(`${path}: ${s.rps.toFixed(0)} req/s  p50 ${s.p50.toFixed(1)}  p99 ${s.p99.toFixed(1)} ms  errors ${s.errors}  Keyward CPU ${cpuMs.toFixed(3)} ms/request`);
  await dbCallsPerRequest(http, s.count, dbBefore);
  http.close();
  // The worker idle after the load: its resident memory, and how much of it is the heap.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  console.log(`idle after the load: ${memoryOf(server.child.pid)}`);
  await server.stop();
  await ferret?.dispose();
  if (!profiling) return;
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  console.log(`profile: ${join(profDir, file)}`);
  report(JSON.parse(readFileSync(join(profDir, file), 'utf8')) as Profile);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
