// What each virtual user does per iteration, per path. Keyward paths run in step-up mode
// (a signed-in session verifying again), so each iteration is exactly the verify under
// test, not the password step in front of it.
import type { SeededUser } from './seed.js';
import { Http, updateCookie, type Sample } from './loadgen.js';
import { createTotpCodes } from '../server/totp/createTotpCodes.js';
import { PASSWORD } from './constants.js';

type Iteration = (vu: number, record: (s: Sample) => void) => Promise<boolean>;

/** Ceiling: one POST of `body`. */
export function ceilingIteration(http: Http, body: unknown): Iteration {
  return async (_vu, record) => {
    const r = await http.post('/', body);
    record({ label: 'request', ms: r.ms, status: r.status });
    return true;
  };
}

/** Options on `pick(vu)` instance, assertion, verify on `verifyOn(vu)`: the cross-instance case when they differ. */
export function webauthnIteration(users: SeededUser[], optionsOn: (vu: number) => Http, verifyOn: (vu: number) => Http, verified?: unknown[]): Iteration {
  let next = 0;
  return async (vu, record) => {
    const user = users[next++ % users.length]!;
    const o = await optionsOn(vu).post('/api/webauthn/authentication/options', {}, user.cookie);
    record({ label: 'options', ms: o.ms, status: o.status });
    if (o.status !== 200) return true;
    user.cookie = updateCookie(user.cookie, o.setCookie);
    const response = user.key.assert(JSON.parse(o.body));
    const v = await verifyOn(vu).post('/api/webauthn/authentication/verify', { response }, user.cookie);
    record({ label: 'verify', ms: v.ms, status: v.status });
    user.cookie = updateCookie(user.cookie, v.setCookie);
    if (verified && v.status === 200 && verified.length < 50) verified.push(response);
    return true;
  };
}

/** A pool of one-time TOTP codes: users × (current step, next step). */
export async function totpPool(users: SeededUser[], nowMs: number): Promise<{ user: SeededUser; code: string }[]> {
  const codes = createTotpCodes({ periodSeconds: 30, digits: 6, algorithm: 'sha1' });
  const pool: { user: SeededUser; code: string }[] = [];
  for (const at of [nowMs, nowMs + 30_000]) {
    for (const user of users) pool.push({ user, code: await codes.generate(user.totpSecret, at) });
  }
  return pool;
}

export function totpIteration(pool: { user: SeededUser; code: string }[], on: (vu: number) => Http): Iteration {
  let next = 0;
  return async (vu, record) => {
    const item = pool[next++];
    if (!item) return false;
    const r = await on(vu).post('/api/totp/verify', { code: item.code }, item.user.cookie);
    record({ label: 'verify', ms: r.ms, status: r.status });
    item.user.cookie = updateCookie(item.user.cookie, r.setCookie);
    return true;
  };
}

export function recoveryIteration(users: SeededUser[], on: (vu: number) => Http): Iteration {
  // Code j of every user before code j+1 of any, and never two requests of one user at once:
  // each success gives the session a new id, so a second request in flight would hold a
  // cookie that no longer signs anyone in.
  const width = Math.max(0, ...users.map((u) => u.recoveryCodes.length));
  const pool = Array.from({ length: width }, (_, j) => users.filter((u) => u.recoveryCodes[j]).map((user) => ({ user, code: user.recoveryCodes[j]! }))).flat();
  const busy = new Set<SeededUser>();
  return async (vu, record) => {
    if (pool.length === 0) return false;
    const i = pool.findIndex((item) => !busy.has(item.user));
    if (i < 0) {
      await new Promise((r) => setTimeout(r, 1)); // every user left is mid-request
      return true;
    }
    const [item] = pool.splice(i, 1);
    busy.add(item!.user);
    const r = await on(vu).post('/api/recovery-codes/verify', { code: item!.code }, item!.user.cookie);
    record({ label: 'verify', ms: r.ms, status: r.status });
    item!.user.cookie = updateCookie(item!.user.cookie, r.setCookie);
    busy.delete(item!.user);
    return true;
  };
}

/** Forward-auth as a reverse proxy asks it: one GET with the person's cookie (and the forwarded request, for access rules). */
export function authzIteration(users: SeededUser[], on: (vu: number) => Http, forwarded: Record<string, string> = {}, path = '/api/authz?aal=2'): Iteration {
  let next = 0;
  return async (vu, record) => {
    const user = users[next++ % users.length]!;
    const r = await on(vu).get(path, user.cookie || undefined, forwarded);
    record({ label: 'verify', ms: r.ms, status: r.status });
    return true;
  };
}

/** A whole sign-in as a person does it: password, then the security key (options + verify). */
export function journeyIteration(users: SeededUser[], on: (vu: number) => Http): Iteration {
  let next = 0;
  return async (vu, record) => {
    const user = users[next++ % users.length]!;
    const http = on(vu);
    const started = performance.now();
    const p = await http.post('/api/session', { username: user.username, password: PASSWORD });
    let cookie = updateCookie('', p.setCookie);
    const o = p.status === 200 ? await http.post('/api/webauthn/authentication/options', {}, cookie) : p;
    cookie = updateCookie(cookie, o.setCookie);
    const v = o.status === 200 ? await http.post('/api/webauthn/authentication/verify', { response: user.key.assert(JSON.parse(o.body)) }, cookie) : o;
    record({ label: 'journey', ms: performance.now() - started, status: v.status });
    return true;
  };
}

export function passwordIteration(users: SeededUser[], on: (vu: number) => Http): Iteration {
  let next = 0;
  return async (vu, record) => {
    const user = users[next++ % users.length]!;
    const r = await on(vu).post('/api/session', { username: user.username, password: PASSWORD });
    record({ label: 'verify', ms: r.ms, status: r.status });
    return true;
  };
}
