// Guesses sent all at once get no more evaluations than guesses sent one by one: every
// attempt is counted before it is evaluated, per factor, on both stores and across two
// instances on one MongoDB database. The bursts open every connection first and then write
// all requests in one tick (test/helpers/burst.ts); a fetch loop would not race.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { asClient, burst, countStatuses, type BurstResponse } from '../helpers/burst.js';
import { HttpClient } from '../helpers/httpClient.js';
import type { TestApp } from '../helpers/testApp.js';
import { useTwoInstances } from '../helpers/twoInstances.js';
import { authOptions, passwordStep as keyPasswordStep, signUpWithKey } from '../helpers/webauthnFlows.js';
import { codeAt, passwordStep, signUpWithTotp } from './totpSteps.js';
import { BUSY_MESSAGE } from '../../server/http/inFlightLimit.js';

const N = 300;
const BUDGET = 5;
// A wait, not a bound: on FerretDB beside another heavy job a 300-guess burst took over the
// default 30 s (twice in one fresh-clone run); what is asserted is the count, never the time.
const BURST_TIMEOUT = { timeout: 180_000 };
const portOf = (app: TestApp) => Number(new URL(app.url).port);

/** A code that is not the one `secret` shows now (nor in the steps around it). */
async function wrongCode(app: TestApp, secret: string): Promise<string> {
  const near = await Promise.all([-30_000, 0, 30_000].map((d) => codeAt(secret, app.clock.now() + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!near.includes(code)) return code;
  }
}

/** A 503 from MAX_REQUESTS_IN_FLIGHT: refused before any route ran, so nothing was evaluated. */
const isBusy = (r: BurstResponse) => r.status === 503 && (JSON.parse(r.body) as { message?: string }).message === BUSY_MESSAGE;

/**
 * At most the budget was evaluated (401); every other guess was refused unevaluated: by the
 * guard (429) or, beyond the in-flight limit (256 by default, less than N), before reaching
 * it (503 busy). Both say when to retry. Any other answer (a database 503 included) fails.
 */
function expectAtMostBudget(responses: BurstResponse[]): void {
  const counts = countStatuses(responses);
  const busy = responses.filter(isBusy).length;
  expect((counts[401] ?? 0) + (counts[429] ?? 0) + busy, JSON.stringify(counts)).toBe(responses.length);
  expect(counts[401] ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(BUDGET);
  expect(responses.filter((r) => r.status !== 401).every((r) => Number(r.headers['retry-after']) > 0)).toBe(true);
}

describe.each(storageFactories)('simultaneous guesses ($name)', (factory) => {
  const t = useApp(factory);

  it(`evaluates at most ${BUDGET} of ${N} simultaneous wrong TOTP codes from one session`, BURST_TIMEOUT, async () => {
    const { secret } = await signUpWithTotp(t.app);
    const attacker = await passwordStep(t.app);
    const code = await wrongCode(t.app, secret);
    expectAtMostBudget(await burst(portOf(t.app), Array.from({ length: N }, () => asClient(attacker, 'POST', '/api/totp/verify', { code }))));
  });

  it(`evaluates at most ${BUDGET} of ${N} simultaneous wrong passwords`, BURST_TIMEOUT, async () => {
    await signUpWithTotp(t.app);
    const attacker = t.app.client();
    const guesses = Array.from({ length: N }, (_, i) => asClient(attacker, 'POST', '/api/session', { username: 'alice', password: `not it ${i}` }));
    expectAtMostBudget(await burst(portOf(t.app), guesses));
  });

  it(`evaluates at most ${BUDGET} of ${N} simultaneous wrong recovery codes`, BURST_TIMEOUT, async () => {
    await signUpWithTotp(t.app);
    const { recoveryCodes } = await signUpWithTotp(t.app, 'mallory');
    const attacker = await passwordStep(t.app);
    const guesses = Array.from({ length: N }, (_, i) => asClient(attacker, 'POST', '/api/recovery-codes/verify', { code: recoveryCodes![i % recoveryCodes!.length] }));
    expectAtMostBudget(await burst(portOf(t.app), guesses));
  });

  it(`evaluates at most ${BUDGET} of ${N} simultaneous forged security-key assertions`, BURST_TIMEOUT, async () => {
    const owner = t.app.client();
    const { key } = await signUpWithKey(owner, 'alice');
    const attacker = t.app.client();
    await keyPasswordStep(attacker, 'alice');
    const options = await authOptions(attacker);
    const forged = key.assert(options, { badSignature: true });
    const guesses = Array.from({ length: N }, () => asClient(attacker, 'POST', '/api/webauthn/authentication/verify', { response: forged }));
    expectAtMostBudget(await burst(portOf(t.app), guesses));
  });

  it('keeps the second factor budget when the password is right: "password, then 4 wrong codes" is refused by the 6th wrong code', async () => {
    const { secret } = await signUpWithTotp(t.app);
    const statuses: number[] = [];
    for (let round = 0; round < 2; round++) {
      const c = await passwordStep(t.app);
      for (let i = 0; i < 4; i++) statuses.push((await c.post('/api/totp/verify', { code: await wrongCode(t.app, secret) })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('does not end a second-factor back-off when the password is right again', async () => {
    const { secret } = await signUpWithTotp(t.app);
    const c = await passwordStep(t.app);
    for (let i = 0; i < BUDGET; i++) expect((await c.post('/api/totp/verify', { code: await wrongCode(t.app, secret) })).status).toBe(401);
    const again = await passwordStep(t.app);
    t.app.clock.advance(30_000);
    expect((await again.post('/api/totp/verify', { code: await codeAt(secret, t.app.clock.now()) })).status).toBe(429);
  });
});

describe('simultaneous guesses across two instances on one MongoDB database', () => {
  const t = useTwoInstances('reserve');
  // Instance A as a browser sees it: the one public origin both instances serve.
  const a = (): TestApp => ({ ...t.a, client: () => new HttpClient(t.a.url, t.a.config.origins[0]!) });

  it(`shares the budget: at most ${BUDGET} of ${N} TOTP codes sent to both instances at once are evaluated`, BURST_TIMEOUT, async () => {
    const { secret } = await signUpWithTotp(a(), 'alice');
    const attacker = await passwordStep(a());
    const code = await wrongCode(a(), secret);
    const ports = [portOf(t.a), portOf(t.b)];
    const responses = await burst((i) => ports[i % 2]!, Array.from({ length: N }, () => asClient(attacker, 'POST', '/api/totp/verify', { code })));
    expectAtMostBudget(responses);
    // Both instances answered refusals: the budget is the database's, not one process's.
    expect(new Set(responses.flatMap((r, i) => (r.status === 429 ? [i % 2] : [])))).toEqual(new Set([0, 1]));
  });

  it(`shares the budget for passwords too (${N} at once, alternating instances)`, BURST_TIMEOUT, async () => {
    await signUpWithTotp(a(), 'bob');
    const attacker = a().client();
    const ports = [portOf(t.a), portOf(t.b)];
    const guesses = Array.from({ length: N }, (_, i) => asClient(attacker, 'POST', '/api/session', { username: 'bob', password: `${PASSWORD} ${i}` }));
    expectAtMostBudget(await burst((i) => ports[i % 2]!, guesses));
  });
});
