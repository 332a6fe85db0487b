import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { codeAt, enrollTotp, nextStep, passwordStep, signUp, signUpWithTotp, startEnrollment, verifyTotp, type Authenticator } from './totpSteps.js';

describe.each(storageFactories)('authenticator app attacks ($name)', (factory) => {
  const t = useApp(factory, { TRUST_PROXY: 'true' });

  it('refuses a TOTP code already used', async () => {
    const { secret } = await signUpWithTotp(t.app);
    nextStep(t.app);
    const code = await codeAt(secret, t.app.clock.now());
    expect((await (await passwordStep(t.app)).post('/api/totp/verify', { code })).status).toBe(200);
    const replay = await (await passwordStep(t.app)).post('/api/totp/verify', { code });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: 'invalid_code' });
  });

  it('refuses an older code once a newer one was accepted', async () => {
    const { secret } = await signUpWithTotp(t.app);
    t.app.clock.advance(3 * 30_000);
    const now = t.app.clock.now();
    expect((await (await passwordStep(t.app)).post('/api/totp/verify', { code: await codeAt(secret, now) })).status).toBe(200);
    expect((await (await passwordStep(t.app)).post('/api/totp/verify', { code: await codeAt(secret, now - 30_000) })).status).toBe(401);
  });

  it('lets exactly one of 50 parallel requests with one valid code through', async () => {
    const { secret } = await signUpWithTotp(t.app);
    nextStep(t.app);
    const code = await codeAt(secret, t.app.clock.now());
    // From 50 addresses: the brute-force budget stops 50 simultaneous sign-ins from one, and
    // here the single use of the code must be what decides.
    const clients = await Promise.all(Array.from({ length: 50 }, (_, i) => passwordStep(t.app, 'alice', `198.51.100.${i + 1}`)));
    const results = await Promise.all(clients.map((c) => c.post('/api/totp/verify', { code })));
    // One success; the others are refused (401), or turned away by the brute-force limits (429).
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => [200, 401, 429].includes(r.status))).toBe(true);
  });

  it('refuses the code that confirmed the app: the enrollment step is spent', async () => {
    const c = await signUp(t.app);
    const e = await startEnrollment(c);
    const code = await codeAt(e.secret, t.app.clock.now());
    expect((await c.post(`/api/totp/authenticators/${e.id}/confirm`, { code })).status).toBe(200);
    expect((await (await passwordStep(t.app)).post('/api/totp/verify', { code })).status).toBe(401);
  });

  it('never signs in with a pending (unconfirmed) app', async () => {
    const { c } = await signUpWithTotp(t.app);
    const pending = await startEnrollment(c, 'Not confirmed');
    nextStep(t.app);
    expect((await verifyTotp(t.app, await passwordStep(t.app), pending.secret)).status).toBe(401);
  });

  it('lets a pending set-up expire after 10 minutes', async () => {
    const c = await signUp(t.app);
    const e = await startEnrollment(c);
    t.app.clock.advance(10 * 60_000 + 1);
    const res = await c.post(`/api/totp/authenticators/${e.id}/confirm`, { code: await codeAt(e.secret, t.app.clock.now()) });
    expect(res.status).toBe(404);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'enroll_required', aal: 1 });
  });

  it('refuses a wrong confirmation code with the vague invalid_code and keeps the set-up pending', async () => {
    const c = await signUp(t.app);
    const e = await startEnrollment(c);
    const wrong = String((Number(await codeAt(e.secret, t.app.clock.now())) + 1) % 1_000_000).padStart(6, '0');
    const res = await c.post(`/api/totp/authenticators/${e.id}/confirm`, { code: wrong });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_code' });
    expect((await c.post(`/api/totp/authenticators/${e.id}/confirm`, { code: await codeAt(e.secret, t.app.clock.now()) })).status).toBe(200);
  });

  it('refuses a code of another person’s app', async () => {
    const alice = await signUpWithTotp(t.app, 'alice');
    await signUpWithTotp(t.app, 'bob');
    nextStep(t.app);
    expect((await verifyTotp(t.app, await passwordStep(t.app, 'bob'), alice.secret)).status).toBe(401);
  });

  it('answers malformed codes with 400 invalid_request, not 500', async () => {
    await signUpWithTotp(t.app);
    const c = await passwordStep(t.app);
    for (const code of ['12345', '1234567', '12a456', ' 123456', '١٢٣٤٥٦', '', 123456, null]) {
      const res = await c.post('/api/totp/verify', { code });
      expect(res.status, JSON.stringify(code)).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
    expect((await c.post('/api/totp/verify', { code: '123456', extra: 1 })).status).toBe(400);
  });

  it('gives the same vague answer for a wrong code, a replay and an account without an app', async () => {
    const { secret } = await signUpWithTotp(t.app);
    nextStep(t.app);
    const code = await codeAt(secret, t.app.clock.now());
    await (await passwordStep(t.app)).post('/api/totp/verify', { code });
    const replay = await (await passwordStep(t.app)).post('/api/totp/verify', { code });
    const wrong = await (await passwordStep(t.app)).post('/api/totp/verify', { code: code === '000000' ? '111111' : '000000' });
    expect(replay.body).toEqual(wrong.body);
    const userId = ((await t.storage.users.findByUsername('alice'))!).id;
    const failures = (await t.storage.audit.listForUser(userId, { limit: 10 })).filter((e) => e.type === 'signin.totp' && e.outcome === 'failure');
    expect(failures.map((e) => e.details['reason']).sort()).toEqual(['replayed', 'wrong_code']);
  });

  it('refuses a secret whose ciphertext was moved onto another user’s app', async () => {
    const alice = await signUpWithTotp(t.app, 'alice');
    const bob = await signUpWithTotp(t.app, 'bob');
    const aliceId = (await t.storage.users.findByUsername('alice'))!.id;
    const bobId = (await t.storage.users.findByUsername('bob'))!.id;
    const [aliceRecord] = await t.storage.totp.listConfirmed(aliceId);
    const [bobRecord] = await t.storage.totp.listConfirmed(bobId);
    expect(await t.storage.totp.replaceSecret(bob.id, bobRecord!.secret, aliceRecord!.secret)).toBe(true);
    nextStep(t.app);
    expect((await verifyTotp(t.app, await passwordStep(t.app, 'bob'), alice.secret)).status).toBe(401);
    expect((await verifyTotp(t.app, await passwordStep(t.app, 'bob'), bob.secret)).status).toBe(401);
    const events = await t.storage.audit.listForUser(bobId, { limit: 5 });
    expect(events[0]).toMatchObject({ type: 'signin.totp', outcome: 'failure', details: { reason: 'undecryptable' } });
  });

  it('stores the secret encrypted, not in base32 or raw form', async () => {
    const { secret } = await signUpWithTotp(t.app);
    const userId = (await t.storage.users.findByUsername('alice'))!.id;
    const [record] = await t.storage.totp.listConfirmed(userId);
    expect(record!.secret.keyId).toBe('t1');
    expect(JSON.stringify(record)).not.toContain(secret);
  });

  it('refuses to remove an app without a fresh step-up, allows it right after one, and again not 5 minutes later', async () => {
    const { c, secret } = await signUpWithTotp(t.app);
    await enrollTotp(t.app, c, 'Tablet');
    const [phone, tablet] = (await c.get<Authenticator[]>('/api/totp/authenticators')).body;
    t.app.clock.advance(300_001);
    const refused = await c.delete(`/api/totp/authenticators/${phone!.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'step_up_required', details: { factors: ['totp', 'recovery_code'] } });
    expect((await verifyTotp(t.app, c, secret)).status).toBe(200);
    expect((await c.delete(`/api/totp/authenticators/${phone!.id}`)).status).toBe(204);
    // A third app, so that removing the tablet is possible and only the step-up is missing
    // (removing the last one is refused before any step-up: stepUpOrder.security.test.ts).
    await enrollTotp(t.app, c, 'Laptop');
    t.app.clock.advance(300_001);
    expect((await c.delete(`/api/totp/authenticators/${tablet!.id}`)).status).toBe(403);
  });

  it('refuses to remove the only second factor while MFA is required (409 last_factor)', async () => {
    const { c, id } = await signUpWithTotp(t.app);
    const res = await c.delete(`/api/totp/authenticators/${id}`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'last_factor' });
    expect((await c.get<Authenticator[]>('/api/totp/authenticators')).body.map((a) => a.id)).toEqual([id]);
  });

  it('leaves one app when two removals of the last two race', async () => {
    const { c } = await signUpWithTotp(t.app);
    await enrollTotp(t.app, c, 'Tablet');
    const ids = (await c.get<Authenticator[]>('/api/totp/authenticators')).body.map((a) => a.id);
    const results = await Promise.all(ids.map((id) => c.delete(`/api/totp/authenticators/${id}`)));
    expect(results.filter((r) => r.status === 204).length).toBeLessThanOrEqual(1);
    expect((await c.get<Authenticator[]>('/api/totp/authenticators')).body.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps a person at the password step from adding or managing apps', async () => {
    await signUpWithTotp(t.app);
    const c = await passwordStep(t.app);
    expect((await c.post('/api/totp/authenticators', {})).body).toMatchObject({ error: 'mfa_required' });
    expect((await c.get('/api/totp/authenticators')).body).toMatchObject({ error: 'mfa_required' });
    expect((await t.app.client().post('/api/totp/verify', { code: '123456' })).body).toMatchObject({ error: 'unauthenticated' });
  });

  it('lets the pending second step lapse after 5 minutes', async () => {
    const { secret } = await signUpWithTotp(t.app);
    const c = await passwordStep(t.app);
    t.app.clock.advance(300_001);
    const res = await verifyTotp(t.app, c, secret);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthenticated' });
  });
});

describe.each(storageFactories)('authenticator apps without required MFA ($name)', (factory) => {
  const t = useApp(factory, { MFA_REQUIRED: 'false' });

  it('lets a person remove their only app when MFA is optional', async () => {
    const { c, id } = await signUpWithTotp(t.app);
    expect((await c.delete(`/api/totp/authenticators/${id}`)).status).toBe(204);
  });
});
