// Directory sign-ins per second: Keyward's password step for people in a real OpenLDAP
// (search with the service account, group search, bind as the person, record sync, session
// write) at 8 and 32 connections, next to a bare bind loop (ldapts, one connection per
// virtual user) against the same slapd. `npm run build && npx tsx bench/directory.ts [seconds]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'ldapts';
import { startSlapd, personDn, type Person } from '../test/helpers/slapd.js';
import { freePort } from '../test/helpers/freePort.js';
import { Http, run, summarize } from './loadgen.js';
import { startKeyward } from './servers.js';
import { keywardEnv } from './keywardEnv.js';

const SECONDS = Number(process.argv[2] ?? 10);
const PEOPLE = 200;
const people: Person[] = Array.from({ length: PEOPLE }, (_, i) => ({ uid: `user${i}`, password: `pw-of-user-${i}`, cn: `User ${i}`, mail: `user${i}@example.org`, groups: [`team${i % 5}`, 'staff'] }));

async function bareBinds(url: string, connections: number) {
  const clients = Array.from({ length: connections }, () => new Client({ url }));
  let i = 0;
  const r = await run(connections, SECONDS * 1000, async (vu, record) => {
    const p = people[i++ % PEOPLE]!;
    const started = performance.now();
    await clients[vu]!.bind(personDn(p.uid), p.password);
    record({ label: 'bind', ms: performance.now() - started, status: 200 });
    return true;
  });
  await Promise.all(clients.map((c) => c.unbind().catch(() => {})));
  return summarize(r.samples, 'bind', r.seconds);
}

async function signIns(http: Http, connections: number) {
  let i = 0;
  const r = await run(connections, SECONDS * 1000, async (_vu, record) => {
    const p = people[i++ % PEOPLE]!;
    const res = await http.post('/api/session', { username: p.uid, password: p.password });
    record({ label: 'signin', ms: res.ms, status: res.status === 200 && res.body.includes('enroll_required') ? 200 : res.status || 599 });
    return true;
  });
  return summarize(r.samples, 'signin', r.seconds);
}

const row = (what: string, c: number, s: ReturnType<typeof summarize>) =>
  `| ${what} | ${c} | ${s.rps.toFixed(0)} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.errors} |`;

const slapd = await startSlapd({ people });
const dataDir = mkdtempSync(join(tmpdir(), 'keyward-directory-bench-'));
const port = await freePort();
const origin = `http://localhost:${port}`;
const keyward = await startKeyward(port, {
  ...keywardEnv({ DATA_DIR: dataDir }, randomBytes(32).toString('base64url'), { id: 'b1', key: randomBytes(32) }, origin),
  ...slapd.env,
});
try {
  const http = new Http(`http://127.0.0.1:${port}`, origin);
  // Every person's record made first: the runs measure the steady state (look-up and sync).
  for (const p of people) await http.post('/api/session', { username: p.uid, password: p.password });
  console.log(`slapd ${slapd.url} (mdb, ${PEOPLE} people, 6 groups); Keyward: 1 process, embedded store, LDAP_POOL_SIZE=8; ${cpus().length} cores; ${SECONDS} s per row`);
  console.log('');
  console.log('| what | connections | per second | p50 ms | p99 ms | errors |');
  console.log('|---|---|---|---|---|---|');
  for (const c of [8, 32]) {
    console.log(row('bare LDAP bind (ldapts)', c, await bareBinds(slapd.url, c)));
    console.log(row('Keyward password step, directory person', c, await signIns(http, c)));
  }
  http.close();
} finally {
  await keyward.stop();
  await slapd.dispose();
  rmSync(dataDir, { recursive: true, force: true });
}
