// `npm run bench`: measures every sign-in path against the ceilings of this machine, on the
// embedded store, on MongoDB (FerretDB here, or MONGODB_URI), and on two instances sharing
// one database; then rewrites bench/README.md with what it printed.
// `npm run bench -- --smoke` does a seconds-long pass over the same code without the report.
import { cpus, totalmem } from 'node:os';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createEmbeddedStorage } from '../server/storage/embedded/createEmbeddedStorage.js';
import { createMongoStorage } from '../server/storage/mongo/createMongoStorage.js';
import type { Storage } from '../server/storage/port.js';
import { createPasswordHasher } from '../server/accounts/passwordHasher.js';
import { startFerretDb } from '../test/helpers/ferretdb.js';
import { freePort } from '../test/helpers/freePort.js';
import { SoftAuthenticator } from '../test/helpers/softAuthenticator.js';
import { Http, run, summarize, type RunResult } from './loadgen.js';
import { seedUsers, type SeededUser } from './seed.js';
import { cpuSecondsOf, startCeiling, startKeyward, type Proc } from './servers.js';
import { authzIteration, ceilingIteration, journeyIteration, passwordIteration, recoveryIteration, totpIteration, totpPool, webauthnIteration } from './scenarios.js';
import { LEVELS, PASSWORD } from './constants.js';
import { keywardEnv } from './keywardEnv.js';
import { FORWARDED, writeHundredRules } from './accessRules.js';
import { codePool, tokenIteration, userinfoIteration, writeBenchClients } from './oidc.js';
import { ensureWrk } from './wrk.js';
import { interleaved, rssPerProcess, SHIPPED_NODE_ARGS, startAnswerCeiling, startCeilings, startKeywardFor, table, type Target } from './forwardAuthWrk.js';

const smoke = process.argv.includes('--smoke');
// `npm run bench -- --authz-only`: forward-auth under wrk only (with its ceilings, WORKERS=2, a
// 100-rule file and FerretDB); rewrites only the forward-auth section of bench/README.md.
const authzOnly = process.argv.includes('--authz-only');
// `npm run bench -- --oidc-only`: the ceilings and the single sign-on rows (token endpoint, userinfo), no report.
const oidcOnly = process.argv.includes('--oidc-only');
const DURATION = smoke ? 1000 : 3000;
const levels = smoke ? [8] : LEVELS;
const ORIGIN = 'http://localhost:3999';
const SECRET = randomBytes(32).toString('base64url');
const TOTP_KEY = { id: 'bench', key: randomBytes(32) };
const lines: string[] = [];
const out = (s = '') => {
  console.log(s);
  lines.push(s);
};

interface Row {
  path: string;
  where: string;
  c: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  ratio?: number;
  note?: string;
}
const rows: Row[] = [];
const ceilings = new Map<string, number>();

function env(store: Record<string, string>): Record<string, string> {
  return keywardEnv(store, SECRET, TOTP_KEY, ORIGIN);
}

function record(path: string, where: string, c: number, r: RunResult, label: string, ceilingKey?: string, note?: string) {
  const s = summarize(r.samples, label, r.seconds);
  const ceiling = ceilingKey ? ceilings.get(`${ceilingKey}@${c}`) : undefined;
  // Which statuses the failures were (e.g. 503: the database did not answer within DB_TIMEOUT_MS).
  const statuses = new Map<number, number>();
  for (const x of r.samples) if (x.label === label && x.status >= 400) statuses.set(x.status, (statuses.get(x.status) ?? 0) + 1);
  const notes = [note, r.exhausted && `pool ran dry after ${r.seconds.toFixed(1)} s`, statuses.size > 0 && `errors: ${[...statuses].map(([k, n]) => `${n} × ${k}`).join(', ')}`].filter(Boolean);
  const row: Row = { path, where, c, ...s, ...(ceiling && { ratio: s.rps / ceiling }), ...(notes.length > 0 && { note: notes.join('; ') }) };
  rows.push(row);
  console.log(`${path.padEnd(28)} ${where.padEnd(22)} c=${String(c).padStart(2)} ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50.toFixed(1)}  p99 ${s.p99.toFixed(1)} ms  errors ${s.errors}${row.ratio ? `  ${(row.ratio * 100).toFixed(0)}% of ceiling` : ''}${row.note ? `  (${row.note})` : ''}`);
}

async function measureCeilings(key: SoftAuthenticator) {
  const jwk = JSON.stringify(key.credentials[0]!.publicKey.export({ format: 'jwk' }));
  const assertion = key.assert({ challenge: 'A'.repeat(43) } as never);
  for (const mode of ['noop', 'es256', 'rs256'] as const) {
    const proc = await startCeiling(mode, await freePort(), jwk);
    const http = new Http(proc.url, ORIGIN);
    const body = mode === 'es256' ? { response: assertion } : { code: '123456' };
    await run(8, 500, ceilingIteration(http, body));
    for (const c of levels) {
      const r = await run(c, DURATION, ceilingIteration(http, body));
      const s = summarize(r.samples, 'request', r.seconds);
      ceilings.set(`${mode}@${c}`, s.rps);
      record(`ceiling: Koa ${{ noop: 'JSON no-op', es256: 'JSON + ES256 verify', rs256: 'JSON + RS256 sign' }[mode]}`, 'bare Koa', c, r, 'request');
    }
    http.close();
    await proc.stop();
  }
}

async function kdfCeiling(hash: string) {
  const hasher = createPasswordHasher();
  const end = performance.now() + DURATION;
  let n = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (performance.now() < end) {
      await hasher.verify(hash, PASSWORD);
      n++;
    }
  }));
  const rps = n / (DURATION / 1000);
  ceilings.set('kdf', rps);
  out(`bare Argon2id verify (4 in parallel, libuv pool 4): ${rps.toFixed(1)} verifications/s`);
}

/** `dbPid`: the database process, when this run started it (its CPU time is reported too). */
async function paths(where: string, servers: Proc[], users: SeededUser[], perLevelTotp: number, dbPid?: number) {
  const https = servers.map((s) => new Http(s.url, ORIGIN));
  const started = { wall: performance.now(), load: process.cpuUsage(), keyward: servers.map((s) => s.cpuSeconds()), db: cpuSecondsOf(dbPid) ?? 0 };
  const pick = (vu: number) => https[vu % https.length]!;
  const other = (vu: number) => https[(vu + 1) % https.length]!;
  await run(8, 500, webauthnIteration(users, pick, pick));
  for (const c of levels) record('WebAuthn options + verify', where, c, await run(c, DURATION, webauthnIteration(users, pick, pick)), 'verify', 'es256');
  if (servers.length > 1) {
    const verified: unknown[] = [];
    for (const c of levels) record('WebAuthn, options on A, verify on B', where, c, await run(c, DURATION, webauthnIteration(users, pick, other, verified)), 'verify', 'es256');
    // Cross-instance correctness: a verified assertion replayed on either instance fails.
    let replayed = 0;
    for (const [i, response] of verified.entries()) {
      const r = await https[i % https.length]!.post('/api/webauthn/authentication/verify', { response }, users[i % users.length]!.cookie);
      if (r.status === 200) replayed++;
    }
    out(`cross-instance check: ${verified.length} verified assertions replayed on both instances, ${replayed} accepted (must be 0)`);
  }
  for (const c of levels) record('forward-auth GET /api/authz', where, c, await run(c, DURATION, authzIteration(users, pick)), 'verify', 'noop');
  let offset = 0;
  for (const c of levels) {
    const slice = users.slice(offset, offset + perLevelTotp);
    offset += perLevelTotp;
    const pool = await totpPool(slice, Date.now());
    record('TOTP verify', where, c, await run(c, DURATION, totpIteration(pool, pick)), 'verify', 'noop');
  }
  const withCodes = users.filter((u) => u.recoveryCodes.length > 0);
  for (const c of levels.filter((x) => x <= 8)) {
    const half = c === levels[0] ? withCodes.slice(0, Math.ceil(withCodes.length / 2)) : withCodes.slice(Math.ceil(withCodes.length / 2));
    record('recovery-code verify', where, c, await run(c, DURATION, recoveryIteration(half, pick)), 'verify', undefined, 'one scrypt N=2^14 per code (by design)');
  }
  for (const c of levels.filter((x) => x <= 32)) {
    const r = await run(c, DURATION, passwordIteration(users, pick));
    const s = summarize(r.samples, 'verify', r.seconds);
    rows.push({ path: 'password step', where, c, ...s, ratio: s.rps / ceilings.get('kdf')!, note: 'ratio to the bare Argon2id rate' });
    console.log(`password step ${where} c=${c} ${s.rps.toFixed(1)} req/s (${((s.rps / ceilings.get('kdf')!) * 100).toFixed(0)}% of bare KDF)`);
  }
  for (const c of levels.filter((x) => x === 8 || x === 32)) {
    record('full sign-in: password + key', where, c, await run(c, DURATION, journeyIteration(users, pick)), 'journey', undefined, 'journeys/s; one Argon2id each');
  }
  // What each process used over the same wall time: who is the bottleneck on these cores.
  const wall = (performance.now() - started.wall) / 1000;
  const load = process.cpuUsage(started.load);
  const keyward = servers.map((s, i) => (s.cpuSeconds() - started.keyward[i]!).toFixed(0)).join(' + ');
  const db = dbPid === undefined ? '' : `, database (FerretDB) ${((cpuSecondsOf(dbPid) ?? 0) - started.db).toFixed(0)} s`;
  out(`${where}: CPU time over ${wall.toFixed(0)} s of runs: Keyward ${keyward} s${db}, load generator ${((load.user + load.system) / 1e6).toFixed(0)} s`);
  https.forEach((h) => h.close());
}

/**
 * Single sign-on on one server of `store`: code redemption at the token endpoint (ratio to the
 * RS256 ceiling: it signs one ID token, RS256 by default) and userinfo (ratio to the no-op ceiling). Each level
 * gets a fresh pool of codes, made just before its run (a code lives 60 s).
 */
async function oidcPaths(where: string, users: SeededUser[], store: Record<string, string>) {
  const server = await startKeyward(await freePort(), env({ ...store, OIDC_CLIENTS_FILE: writeBenchClients() }));
  const http = new Http(server.url, ORIGIN);
  // The relying party's back end: no Origin header (the provider would check it for CORS). A
  // new one per run: its sockets would otherwise idle past the server's keep-alive timeout
  // while the next pool of codes is made, and a reuse racing the server's close resets.
  const backEnd = async (fn: (h: Http) => Promise<void>) => {
    const h = new Http(server.url, '');
    await fn(h).finally(() => h.close());
  };
  const accessTokens: string[] = [];
  const warmCodes = await codePool(http, users, 200);
  await backEnd(async (h) => void (await run(4, 500, tokenIteration(h, warmCodes, accessTokens))));
  for (const c of levels) {
    const codes = await codePool(http, users, smoke ? 100 : c === 1 ? 600 : 1500);
    await backEnd(async (h) => record('OIDC token (code redemption)', where, c, await run(c, DURATION, tokenIteration(h, codes, accessTokens)), 'verify', 'rs256'));
  }
  for (const c of levels) await backEnd(async (h) => record('OIDC userinfo', where, c, await run(c, DURATION, userinfoIteration(h, accessTokens)), 'verify', 'noop'));
  http.close();
  await server.stop();
}

/** Forward-auth without rules, then with a 100-rule ACCESS_RULES_FILE, on the same store. */
async function authzWithRules(where: string, dir: string, users: SeededUser[], store: Record<string, string>, withRuleless: boolean) {
  const rulesFile = writeHundredRules(dir);
  const variants = [
    ['forward-auth GET /api/authz', {}],
    ['forward-auth, 100 access rules', { TRUST_PROXY: 'true', ACCESS_RULES_FILE: rulesFile }],
  ] as const;
  for (const [label, extra] of withRuleless ? variants : variants.slice(1)) {
    const server = await startKeyward(await freePort(), env({ ...store, ...extra }));
    const http = new Http(server.url, ORIGIN);
    const forwarded = 'ACCESS_RULES_FILE' in extra ? FORWARDED : {};
    await run(8, 500, authzIteration(users, () => http, forwarded));
    for (const c of levels) record(label, where, c, await run(c, DURATION, authzIteration(users, () => http, forwarded)), 'verify', 'noop');
    http.close();
    await server.stop();
  }
}

/** After load on two instances: every key's stored counter is the last one its authenticator signed, none flagged. */
async function checkCounters(uri: string, dbName: string, users: SeededUser[]) {
  const storage = await createMongoStorage({ uri, dbName, timeoutMs: 5000 });
  let consistent = 0;
  let flagged = 0;
  for (const u of users) {
    const cred = u.key.credentials[0]!;
    const stored = await storage.credentials.findById(cred.id.toString('base64url'));
    if (stored?.counter === cred.counter) consistent++;
    if (stored?.flagged) flagged++;
  }
  await storage.close();
  out(`counters after the two-instance runs: ${consistent} of ${users.length} keys hold the last counter their authenticator signed (must be all), ${flagged} flagged (must be 0)`);
}

async function seeded(storage: Storage, count: number, withRecovery: number): Promise<SeededUser[]> {
  const passwordHash = await createPasswordHasher().hash(PASSWORD);
  const started = performance.now();
  const base = await seedUsers(storage, { count: count - withRecovery, origin: ORIGIN, rpId: 'localhost', sessionSecret: SECRET, totpKey: TOTP_KEY, passwordHash, recoveryCodesPerUser: 0, prefix: 'bench' });
  const rec = await seedUsers(storage, { count: withRecovery, origin: ORIGIN, rpId: 'localhost', sessionSecret: SECRET, totpKey: TOTP_KEY, passwordHash, recoveryCodesPerUser: 10, prefix: 'rec' });
  out(`seeded ${count} users (key, authenticator app, session; ${withRecovery} with 10 recovery codes) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Recovery users go last so the TOTP slices (taken from the front) leave them alone.
  return [...base, ...rec];
}

async function main() {
  const cpu = cpus();
  out(`Machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  out(`Each figure: ${DURATION / 1000} s closed-loop run after a warm-up; load generator in the same machine (one process).`);
  if (authzOnly) {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-authz-'));
    const storage = createEmbeddedStorage({ dataDir: dir });
    const users = await seeded(storage, 200, 0);
    await storage.close();
    await forwardAuthUnderWrk(dir, users);
    rmSync(dir, { recursive: true, force: true });
    if (!smoke) writeWrkSection();
    return;
  }
  const probe = new SoftAuthenticator(ORIGIN);
  probe.register({ rp: { id: 'localhost', name: 'x' }, user: { id: 'dQ', name: 'u', displayName: 'u' }, challenge: 'x'.repeat(43), pubKeyCredParams: [] } as never);
  await measureCeilings(probe);
  if (oidcOnly) {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-oidc-'));
    const storage = createEmbeddedStorage({ dataDir: dir });
    const users = await seeded(storage, 200, 0);
    await storage.close();
    await oidcPaths('embedded', users, { DATA_DIR: dir });
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const kdfHash = await createPasswordHasher().hash(PASSWORD);
  await kdfCeiling(kdfHash);


  const perLevelTotp = smoke ? 200 : 3000;
  // TOTP slices: one per level on the default store, two more for the durability comparison.
  // And one for the two-worker run.
  const count = perLevelTotp * (levels.length + 3) + 50;
  {
    // Seeding writes tens of thousands of rows one after another, each its own fsynced
    // commit: do it in memory-backed /dev/shm, then move the finished file to disk.
    const seedDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'keyward-seed-'));
    const storage = createEmbeddedStorage({ dataDir: seedDir });
    const users = await seeded(storage, count, smoke ? 5 : 40);
    await storage.close();
    const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-'));
    copyFileSync(join(seedDir, 'keyward.sqlite'), join(dir, 'keyward.sqlite'));
    rmSync(seedDir, { recursive: true, force: true });
    await forwardAuthUnderWrk(dir, users.slice(0, 200));
    const server = await startKeyward(await freePort(), env({ DATA_DIR: dir }));
    await paths('embedded', [server], users, perLevelTotp);
    await server.stop();
    // The durability trade: the same store without an fsync per commit.
    const normal = await startKeyward(await freePort(), env({ DATA_DIR: dir, EMBEDDED_DURABILITY: 'normal' }));
    const http = new Http(normal.url, ORIGIN);
    const on = () => http;
    const where = 'embedded, durability normal';
    for (const c of levels) record('WebAuthn options + verify', where, c, await run(c, DURATION, webauthnIteration(users, on, on)), 'verify', 'es256');
    let offset = perLevelTotp * levels.length;
    for (const c of levels.filter((x) => x === 8 || x === 32 || smoke)) {
      const pool = await totpPool(users.slice(offset, offset + perLevelTotp), Date.now());
      offset += perLevelTotp;
      record('TOTP verify', where, c, await run(c, DURATION, totpIteration(pool, on)), 'verify', 'noop');
    }
    http.close();
    await normal.stop();
    // WORKERS=2 on the same file: the two processes share it (SQLite WAL); what one Keyward
    // gains from a second core. The load generator shares the same two cores.
    const two = await startKeyward(await freePort(), env({ DATA_DIR: dir, WORKERS: '2' }));
    const http2 = new Http(two.url, ORIGIN);
    const on2 = () => http2;
    const where2 = 'embedded, 2 workers';
    const cpu0 = two.cpuSeconds();
    for (const c of levels.filter((x) => x === 32 || smoke)) record('forward-auth GET /api/authz', where2, c, await run(c, DURATION, authzIteration(users, on2)), 'verify', 'noop');
    const pool2 = await totpPool(users.slice(offset, offset + perLevelTotp), Date.now());
    for (const c of levels.filter((x) => x === 32 || smoke).slice(0, 1)) record('TOTP verify', where2, c, await run(c, DURATION, totpIteration(pool2, on2)), 'verify', 'noop');
    out(`${where2}: Keyward (primary + workers) used ${(two.cpuSeconds() - cpu0).toFixed(0)} s of CPU`);
    http2.close();
    await two.stop();
    // Next to the rule-less figure measured in paths() above.
    await authzWithRules('embedded', dir, users.slice(0, 1000), { DATA_DIR: dir }, false);
    await oidcPaths('embedded', users.slice(0, 1000), { DATA_DIR: dir });
  }
  const given = process.env['MONGODB_URI'];
  const ferret = given ? null : await startFerretDb();
  const uri = given ?? ferret!.uri;
  const db = `keyward_bench_${randomBytes(3).toString('hex')}`;
  try {
    for (const instances of [1, 2]) {
      const storage = await createMongoStorage({ uri, dbName: `${db}_${instances}`, timeoutMs: 5000 });
      // FerretDB v1 answers filters on fields other than _id by scanning the collection, so
      // its seed stays small (a real MongoDB uses the indexes Keyward creates).
      const users = await seeded(storage, smoke ? count : 400, smoke ? 5 : 20);
      await storage.close();
      const servers: Proc[] = [];
      for (let i = 0; i < instances; i++) servers.push(await startKeyward(await freePort(), env({ MONGODB_URI: uri, MONGODB_DB: `${db}_${instances}` })));
      await paths(`${given ? 'MongoDB' : 'FerretDB'}, ${instances} instance${instances > 1 ? 's' : ''}`, servers, users, smoke ? perLevelTotp : 90, ferret?.pid());
      for (const s of servers) await s.stop();
      if (instances > 1) await checkCounters(uri, `${db}_${instances}`, users);
    }
  } finally {
    await ferret?.dispose();
  }

  if (!smoke) writeReport();
  console.log(smoke ? 'smoke run done' : 'bench/README.md written');
}

const WRK_START = '<!-- forward-auth (wrk): written by npm run bench -->';
const WRK_END = '<!-- end of forward-auth (wrk) -->';
const wrkLines: string[] = [];

/**
 * Forward-auth under wrk: the node:http and Koa no-op ceilings, Keyward signed in and anonymous,
 * with 100 access rules, with WORKERS=2, and on FerretDB, interleaved in rounds of the same run.
 */
async function forwardAuthUnderWrk(dir: string, users: SeededUser[]) {
  const wrk = ensureWrk();
  const say = (s = '') => {
    out(s);
    wrkLines.push(s);
  };
  if (!wrk) {
    say('wrk is not installed and could not be: forward-auth under wrk skipped');
    return;
  }
  const seconds = smoke ? 1 : Number(process.env['BENCH_WRK_SECONDS'] ?? 10);
  const rounds = smoke ? 1 : Number(process.env['BENCH_WRK_ROUNDS'] ?? 3);
  const connections = 32;
  const cookie = { Cookie: users[0]!.cookie };
  const [node, koa] = await startCeilings();
  const one = await startKeywardFor(env({ DATA_DIR: dir }));
  const ruled = await startKeywardFor(env({ DATA_DIR: dir, TRUST_PROXY: 'true', ACCESS_RULES_FILE: writeHundredRules(dir) }));
  const two = await startKeywardFor(env({ DATA_DIR: dir, WORKERS: '2' }));
  const ferret = await startFerretDb();
  const dbName = `keyward_wrk_${randomBytes(3).toString('hex')}`;
  const mongoStorage = await createMongoStorage({ uri: ferret.uri, dbName, timeoutMs: 5000 });
  const mongoUsers = await seeded(mongoStorage, 20, 0);
  await mongoStorage.close();
  const onMongo = await startKeywardFor(env({ MONGODB_URI: ferret.uri, MONGODB_DB: dbName }));
  const answer = await startAnswerCeiling(one, '/api/authz', cookie);
  const targets: Target[] = [
    { name: 'bare node:http no-op', proc: node, path: '/' },
    { name: 'bare Koa no-op', proc: koa, path: '/' },
    { name: 'Keyward, 1 process, signed in (aal 2)', proc: one, path: '/api/authz', headers: cookie },
    { name: 'Keyward, 1 process, anonymous (401)', proc: one, path: '/api/authz', refused: true },
    { name: 'Keyward, 1 process, signed in, 100 access rules', proc: ruled, path: '/api/authz', headers: { ...cookie, ...FORWARDED } },
    { name: 'Keyward, WORKERS=2, signed in', proc: two, path: '/api/authz', headers: cookie },
    { name: 'Keyward on FerretDB, 1 process, signed in', proc: onMongo, path: '/api/authz', headers: { Cookie: mongoUsers[0]!.cookie }, dbPid: ferret.pid() },
    // Last: measured right before Keyward's rounds it raised their CPU per check (0.051 -> 0.059 signed in, 0.035 -> 0.044 anonymous, two runs each).
    { name: "bare node:http writing a signed-in check's answer (same headers and body)", proc: answer, path: '/' },
  ];
  say(`Forward-auth under wrk (${wrk}): wrk -t1 -c${connections}, ${rounds} interleaved rounds of ${seconds} s, medians; CPU from /proc of the server's processes (primary and workers); Keyward started as the Docker image starts it (node ${SHIPPED_NODE_ARGS.join(' ')}).`);
  try {
    const measured = await interleaved(wrk, targets, { rounds, seconds, connections });
    const koaNoop = measured[1]!.rps;
    say();
    for (const line of table(measured, koaNoop)) say(line);
    // Memory once the load has stopped and the processes have been idle a moment.
    await new Promise((r) => setTimeout(r, 5000));
    say();
    say(`Resident memory after the load (process, then workers): 1 process ${rssPerProcess(one)}; with 100 rules ${rssPerProcess(ruled)}; WORKERS=2 ${rssPerProcess(two)}; on FerretDB ${rssPerProcess(onMongo)}`);
  } finally {
    for (const p of [node, koa, answer, one, ruled, two, onMongo]) await p.stop();
    await ferret.dispose();
  }
}

/** Replaces the forward-auth section of an existing bench/README.md (npm run bench -- --authz-only). */
function writeWrkSection() {
  const file = join(import.meta.dirname, 'README.md');
  const section = [WRK_START, '', '## Forward-auth under wrk', '', ...wrkLines, '', WRK_END].join('\n');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Keyward benchmark\n';
  const a = text.indexOf(WRK_START);
  const b = text.indexOf(WRK_END);
  writeFileSync(file, a >= 0 && b > a ? text.slice(0, a) + section + text.slice(b + WRK_END.length) : `${text.trimEnd()}\n\n${section}\n`);
}

function writeReport() {
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '–');
  const results = [
    '| path | where | conc. | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to ceiling | note |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.path} | ${r.where} | ${r.c} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.errors} | ${r.ratio === undefined ? '' : `${(r.ratio * 100).toFixed(0)}%`} | ${r.note ?? ''} |`),
  ];
  const analysis = readAnalysis();
  writeFileSync(
    join(import.meta.dirname, 'README.md'),
    ['# Keyward benchmark', '', 'Regenerate with `npm run bench` (about 15 minutes). Everything below the analysis is what the run printed.', '', analysis, '', WRK_START, '', '## Forward-auth under wrk', '', ...wrkLines, '', WRK_END, '', '## Run', '', '```', ...lines, '```', '', '## Results', '', ...results, ''].join('\n'),
  );
}

function readAnalysis(): string {
  try {
    return readFileSync(join(import.meta.dirname, 'analysis.md'), 'utf8');
  } catch {
    return '';
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
