// A right TOTP code's last writes (the attempt given back, the session upgraded, the audit
// line) go out together, in one event-loop turn after the code's step is claimed
// (totp.recordUse). These bursts over pre-opened sockets show the rules that order kept: a
// code upgrades at most one session however many requests carry it at once, and a session
// upgraded (or ended) by a parallel request is never upgraded twice: that request answers 401.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { asClient, burst, countStatuses } from '../helpers/burst.js';
import type { TestApp } from '../helpers/testApp.js';
import type { Storage } from '../../server/storage/port.js';
import { codeAt, enrollTotp, nextStep, passwordStep, signUpWithTotp } from './totpSteps.js';

// A wait, not a bound: what is asserted is the outcome, never the time.
const BURST_TIMEOUT = { timeout: 120_000 };
const portOf = (app: TestApp) => Number(new URL(app.url).port);

/** alice's sessions by stage, and her TOTP sign-ins in the audit log by outcome. */
async function aliceState(storage: Storage, app: TestApp) {
  const alice = (await storage.users.findByUsername('alice'))!;
  const sessions = await storage.sessions.listForUser(alice.id, app.clock.now());
  const events = (await storage.audit.listForUser(alice.id, { limit: 500 })).filter((e) => e.type === 'signin.totp');
  return {
    upgraded: sessions.filter((s) => (s.data as { aal?: number }).aal === 2).length,
    pending: sessions.filter((s) => (s.data as { stage?: string }).stage === 'mfa_required').length,
    succeeded: events.filter((e) => e.outcome === 'success').length,
  };
}

describe.each(storageFactories)('a right TOTP code under a burst ($name)', (factory) => {
  const t = useApp(factory, { TRUST_PROXY: 'true' });

  it('upgrades exactly one of 20 sessions that send one code at once, and audits one success', BURST_TIMEOUT, async () => {
    const { secret } = await signUpWithTotp(t.app);
    nextStep(t.app);
    const code = await codeAt(secret, t.app.clock.now());
    // From 20 addresses, so the account+IP budget does not decide: the code's single use must.
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => passwordStep(t.app, 'alice', `198.51.100.${i + 1}`)));
    const before = await aliceState(t.storage, t.app);
    const responses = await burst(portOf(t.app), clients.map((c) => asClient(c, 'POST', '/api/totp/verify', { code })));
    const counts = countStatuses(responses);
    expect(counts[200], JSON.stringify(counts)).toBe(1);
    expect((counts[401] ?? 0) + (counts[429] ?? 0), JSON.stringify(counts)).toBe(19);
    const after = await aliceState(t.storage, t.app);
    expect(after.upgraded).toBe(before.upgraded + 1);
    expect(after.pending).toBe(before.pending - 1);
    expect(after.succeeded).toBe(before.succeeded + 1);
  });

  it('upgrades one session once when two apps’ codes arrive on it at once; the other request answers 401', BURST_TIMEOUT, async () => {
    const { c: enrolled, secret } = await signUpWithTotp(t.app);
    const second = await enrollTotp(t.app, enrolled, 'Second phone');
    nextStep(t.app);
    const now = t.app.clock.now();
    const pending = await passwordStep(t.app);
    const before = await aliceState(t.storage, t.app);
    // Two different codes, each of its own app: both steps can be claimed, one session can be
    // upgraded once. In the runs so far both requests claimed their step and the slower one's
    // rotation found the session gone ("This session has ended"); a request that reads the
    // session after the other's rotation is refused earlier, also with unauthenticated.
    const responses = await burst(portOf(t.app), [
      asClient(pending, 'POST', '/api/totp/verify', { code: await codeAt(secret, now) }),
      asClient(pending, 'POST', '/api/totp/verify', { code: await codeAt(second.secret, now) }),
    ]);
    const counts = countStatuses(responses);
    expect(counts, JSON.stringify(responses.map((r) => r.body))).toEqual({ 200: 1, 401: 1 });
    expect(JSON.parse(responses.find((r) => r.status === 401)!.body)).toMatchObject({ error: 'unauthenticated' });
    const after = await aliceState(t.storage, t.app);
    expect(after.upgraded).toBe(before.upgraded + 1);
    expect(after.pending).toBe(before.pending - 1);
  });
});
