import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { cryptoRandom } from '../../server/clock.js';
import { createRecoveryService } from '../../server/recovery/createRecoveryService.js';
import { codeAt, passwordStep, signUp, signUpWithTotp, startEnrollment, verifyTotp } from './totpSteps.js';

describe.each(storageFactories)('recovery code attacks ($name)', (factory) => {
  const t = useApp(factory, { TRUST_PROXY: 'true' });

  it('accepts each recovery code once', async () => {
    const { recoveryCodes } = await signUpWithTotp(t.app);
    const code = recoveryCodes![0];
    expect((await (await passwordStep(t.app)).post('/api/recovery-codes/verify', { code })).status).toBe(200);
    const again = await (await passwordStep(t.app)).post('/api/recovery-codes/verify', { code });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ error: 'invalid_code' });
  });

  it('lets exactly one of 50 parallel uses of one code through', async () => {
    const { recoveryCodes } = await signUpWithTotp(t.app);
    // From 50 addresses: the brute-force budget stops 50 simultaneous sign-ins from one, and
    // here the single use of the code must be what decides.
    const clients = await Promise.all(Array.from({ length: 50 }, (_, i) => passwordStep(t.app, 'alice', `198.51.100.${i + 1}`)));
    const results = await Promise.all(clients.map((c) => c.post('/api/recovery-codes/verify', { code: recoveryCodes![3] })));
    // One success; the others are refused (401), or turned away by the brute-force limits (429).
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => [200, 401, 429].includes(r.status))).toBe(true);
    expect(await remaining(t)).toBe(9);
  });

  it('refuses a code from a set that was replaced', async () => {
    const { c, recoveryCodes: old } = await signUpWithTotp(t.app);
    expect((await c.post('/api/recovery-codes')).status).toBe(201);
    for (const code of old!.slice(0, 3)) {
      expect((await (await passwordStep(t.app)).post('/api/recovery-codes/verify', { code })).status).toBe(401);
    }
  });

  it('refuses another person’s code', async () => {
    const alice = await signUpWithTotp(t.app, 'alice');
    await signUpWithTotp(t.app, 'bob');
    expect((await (await passwordStep(t.app, 'bob')).post('/api/recovery-codes/verify', { code: alice.recoveryCodes![0] })).status).toBe(401);
  });

  it('refuses to make a new set without a fresh step-up, allows it right after one, and again not 5 minutes later', async () => {
    const { c, secret } = await signUpWithTotp(t.app);
    t.app.clock.advance(300_001);
    const refused = await c.post('/api/recovery-codes');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'step_up_required', details: { factors: ['totp', 'recovery_code'] } });
    expect((await verifyTotp(t.app, c, secret)).status).toBe(200);
    expect((await c.post('/api/recovery-codes')).status).toBe(201);
    t.app.clock.advance(300_001);
    expect((await c.post('/api/recovery-codes')).status).toBe(403);
  });

  it('answers codes of the wrong shape with 400 invalid_request, not 500', async () => {
    await signUpWithTotp(t.app);
    const c = await passwordStep(t.app);
    for (const code of ['abcde-fghj', 'abcde-fghjkm', 'uuuuu-uuuuu', 'abcd!-efghj', '', 'x'.repeat(65), 1234567890, null]) {
      const res = await c.post('/api/recovery-codes/verify', { code });
      expect(res.status, JSON.stringify(code)).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('keeps only hashes in the database', async () => {
    const { recoveryCodes } = await signUpWithTotp(t.app);
    const userId = (await t.storage.users.findByUsername('alice'))!.id;
    const set = (await t.storage.recovery.findSet(userId))!;
    const canonical = recoveryCodes![0]!.replace('-', '');
    expect(await t.storage.recovery.useCode(userId, set.setId, canonical)).toBe(false);
    expect(await t.storage.recovery.countCodes(userId, set.setId)).toBe(10);
  });

  it('issues one set when several first factors are added at the same moment', async () => {
    // Through the listener itself: over HTTP the session's own checks already serialize
    // most such races, and this must hold even when they do not.
    const c = await signUp(t.app);
    const userId = (await t.storage.users.findByUsername('alice'))!.id;
    const recovery = createRecoveryService({ store: t.storage.recovery, users: t.storage.users, clock: t.app.clock, random: cryptoRandom });
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => recovery.onFactorAdded({ userId, factor: 'totp', first: true, origin: { ip: null, userAgent: null, requestId: null } })),
    );
    const issued = replies.filter((r) => r['recoveryCodes']).map((r) => r['recoveryCodes'] as string[]);
    expect(issued).toHaveLength(1);
    expect(await remaining(t)).toBe(10);
    // And the set that was shown is the one that works.
    const e = await startEnrollment(c);
    expect((await c.post(`/api/totp/authenticators/${e.id}/confirm`, { code: await codeAt(e.secret, t.app.clock.now()) })).body).not.toHaveProperty('recoveryCodes');
    expect((await (await passwordStep(t.app)).post('/api/recovery-codes/verify', { code: issued[0]![0] })).status).toBe(200);
  });

  it('audits a failed use with its reason and still answers vaguely', async () => {
    await signUpWithTotp(t.app);
    const res = await (await passwordStep(t.app)).post('/api/recovery-codes/verify', { code: '00000-00000' });
    expect(res.body).toMatchObject({ error: 'invalid_code' });
    const userId = (await t.storage.users.findByUsername('alice'))!.id;
    const events = await t.storage.audit.listForUser(userId, { limit: 10 });
    expect(events.find((e) => e.type === 'signin.recovery_code')).toMatchObject({ type: 'signin.recovery_code', outcome: 'failure', details: { reason: 'wrong_code' } });
  });

  it('drops the recovery_code factor once every code is used', async () => {
    const { c, recoveryCodes } = await signUpWithTotp(t.app);
    for (const code of recoveryCodes!) expect((await c.post('/api/recovery-codes/verify', { code })).status).toBe(200);
    expect((await c.get('/api/recovery-codes')).body).toEqual({ remaining: 0 });
    expect((await c.get('/api/session')).body).toMatchObject({ factors: ['totp'] });
  });

  async function remaining(fixture: typeof t): Promise<number> {
    const userId = (await fixture.storage.users.findByUsername('alice'))!.id;
    const set = (await fixture.storage.recovery.findSet(userId))!;
    return fixture.storage.recovery.countCodes(userId, set.setId);
  }
});
