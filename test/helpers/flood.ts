// A flood of wrong TOTP codes against real Keyward processes (two instances on one MongoDB
// database, or one port served by WORKERS=2), and what it left behind: every answer's status,
// how many codes were evaluated, and whether each instance serves again afterwards. Shared by
// test/http/flood.security.test.ts (about 1,000) and bench/flood.ts (3,000, with timings).
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { asClient, burst, countStatuses, type BurstResponse } from './burst.js';
import { HttpClient } from './httpClient.js';

const PASSWORD = 'correct horse battery staple';

/** One way in: a port to send requests to, and where its metrics are scraped. */
export interface FloodTarget {
  port: number;
  metricsPort: number;
}

export interface FloodResult {
  responses: BurstResponse[];
  statuses: Record<number, number>;
  /** Codes whose secret was read to check them (the guard admitted them); summed over every process. */
  evaluated: number;
}

/** Secrets shared by every instance, so a session made on one is valid on the other. */
export function sharedSecrets(): Record<string, string> {
  return {
    SESSION_SECRETS: randomBytes(32).toString('base64url'),
    TOTP_ENCRYPTION_KEYS: `f1:${randomBytes(32).toString('base64')}`,
  };
}

/**
 * Evaluations are counted where they happen, not from the answers (an evaluated guess whose
 * answer failed later would hide behind a 503): a TOTP code is checked only after the secrets
 * were read, and timedStorage counts every such read, succeeded or failed.
 */
export async function evaluatedCodes(targets: FloodTarget[]): Promise<number> {
  let n = 0;
  for (const metricsPort of new Set(targets.map((t) => t.metricsPort))) {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (line.startsWith('keyward_db_operation_duration_seconds_count{') && line.includes('store="totp"') && line.includes('operation="listConfirmed"')) {
        n += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
  }
  return n;
}

/** Alice with an authenticator app, and an attacker session past her password (via targets[0]). */
export async function preparedAttacker(targets: FloodTarget[], origin: string): Promise<{ attacker: HttpClient; wrongCode: string }> {
  const client = () => {
    const c = new HttpClient(`http://127.0.0.1:${targets[0]!.port}`, origin);
    c.headers['Connection'] = 'close';
    return c;
  };
  const owner = client();
  const created = await owner.post('/api/accounts', { username: 'alice', password: PASSWORD });
  if (created.status !== 201) throw new Error(`sign-up: ${created.status} ${JSON.stringify(created.body)}`);
  const e = (await owner.post<{ id: string; secret: string }>('/api/totp/authenticators', {})).body;
  const codeAt = (ms: number) => generate({ secret: e.secret, epoch: Math.floor(ms / 1000) });
  const confirmed = await owner.post(`/api/totp/authenticators/${e.id}/confirm`, { code: await codeAt(Date.now()) });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  const attacker = client();
  const step = await attacker.post('/api/session', { username: 'alice', password: PASSWORD });
  if (step.status !== 200) throw new Error(`password step: ${step.status}`);
  // Not a code the app shows now or in the steps around it: every guess is wrong.
  const near = await Promise.all([-60_000, -30_000, 0, 30_000, 60_000].map((d) => codeAt(Date.now() + d)));
  let n = 0;
  while (near.includes(String(n).padStart(6, '0'))) n++;
  return { attacker, wrongCode: String(n).padStart(6, '0') };
}

/** `n` wrong codes at once, spread over the targets in turn. */
export async function floodTotp(targets: FloodTarget[], origin: string, n: number): Promise<FloodResult> {
  const { attacker, wrongCode } = await preparedAttacker(targets, origin);
  const before = await evaluatedCodes(targets);
  const responses = await burst(
    (i) => targets[i % targets.length]!.port,
    Array.from({ length: n }, () => asClient(attacker, 'POST', '/api/totp/verify', { code: wrongCode })),
  );
  return { responses, statuses: countStatuses(responses), evaluated: (await evaluatedCodes(targets)) - before };
}

/** Polls /readyz on `port` until it answers 200; resolves with the polls it took. */
export async function readyAgain(port: number, pauseMs = 250): Promise<number> {
  for (let polls = 1; ; polls++) {
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return polls;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

/** A normal password step for Alice from a new client on `port` (a new connection each time). */
export async function passwordStepStatus(port: number, origin: string): Promise<number> {
  const c = new HttpClient(`http://127.0.0.1:${port}`, origin);
  c.headers['Connection'] = 'close';
  return (await c.post('/api/session', { username: 'alice', password: PASSWORD })).status;
}
