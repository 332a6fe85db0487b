import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { codeAt, enrollTotp, nextStep, passwordStep, signUp, signUpWithTotp, startEnrollment, verifyTotp, type Authenticator } from './totpSteps.js';

describe.each(storageFactories)('authenticator apps ($name)', (factory) => {
  const t = useApp(factory);

  it('sets up an app: secret, otpauth URI and QR code, then a code confirms it and raises the session to aal 2', async () => {
    const c = await signUp(t.app);
    const e = await startEnrollment(c, 'Phone');
    expect(e.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(e.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Keyward:alice');
    expect(uri.searchParams.get('secret')).toBe(e.secret);
    expect(uri.searchParams.get('issuer')).toBe('Keyward');
    expect(e.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

    // Pending: not a factor yet, not listed.
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'enroll_required', aal: 1, factors: [] });
    const confirm = await c.post<{ authenticator: Authenticator; recoveryCodes: string[] }>(`/api/totp/authenticators/${e.id}/confirm`, {
      code: await codeAt(e.secret, t.app.clock.now()),
    });
    expect(confirm.status).toBe(200);
    expect(confirm.body.authenticator).toEqual({ id: e.id, name: 'Phone', createdAt: new Date(t.app.clock.now()).toISOString(), lastUsedAt: null });
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(confirm.setCookies.some((s) => s.startsWith('keyward='))).toBe(true);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2, factors: ['totp', 'recovery_code'] });
  });

  it('lists confirmed apps with names and dates, never the secret', async () => {
    const { c, secret } = await signUpWithTotp(t.app);
    await startEnrollment(c, 'Still pending');
    const list = await c.get<Authenticator[]>('/api/totp/authenticators');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toEqual({ id: expect.any(String), name: 'Authenticator app 1', createdAt: expect.any(String), lastUsedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.headers.get('cache-control')).toBe('no-store');
  });

  it('names apps "Authenticator app N" by default and renames them', async () => {
    const { c } = await signUpWithTotp(t.app);
    t.app.clock.advance(1000);
    const second = await enrollTotp(t.app, c);
    expect(second.authenticator.name).toBe('Authenticator app 2');
    const renamed = await c.patch<{ authenticator: Authenticator }>(`/api/totp/authenticators/${second.id}`, { name: '  Tablet ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.authenticator.name).toBe('Tablet');
    expect((await c.get<Authenticator[]>('/api/totp/authenticators')).body.map((a) => a.name)).toEqual(['Authenticator app 1', 'Tablet']);
    expect((await c.patch('/api/totp/authenticators/nope', { name: 'x' })).status).toBe(404);
  });

  it('signs in with password and then an app code (mfa_required -> authenticated at aal 2)', async () => {
    const { secret } = await signUpWithTotp(t.app);
    nextStep(t.app);
    const c = await passwordStep(t.app);
    const before = c.cookies.get('keyward');
    const res = await verifyTotp(t.app, c, secret);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'authenticated', user: { username: 'alice' } });
    expect(c.cookies.get('keyward')).not.toBe(before);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 2, stepUpAt: new Date(t.app.clock.now()).toISOString() });
    const [listed] = (await c.get<Authenticator[]>('/api/totp/authenticators')).body;
    expect(listed?.lastUsedAt).toBe(new Date(t.app.clock.now()).toISOString());
  });

  it('accepts codes from each of two apps', async () => {
    const { c, secret: phone } = await signUpWithTotp(t.app);
    const { secret: tablet } = await enrollTotp(t.app, c, 'Tablet');
    nextStep(t.app);
    expect((await verifyTotp(t.app, await passwordStep(t.app), phone)).status).toBe(200);
    expect((await verifyTotp(t.app, await passwordStep(t.app), tablet)).status).toBe(200);
  });

  it('accepts a code from the previous or next time step (clock drift), not two steps away', async () => {
    const { secret } = await signUpWithTotp(t.app);
    t.app.clock.advance(5 * 30_000);
    const now = t.app.clock.now();
    expect((await (await passwordStep(t.app)).post('/api/totp/verify', { code: await codeAt(secret, now - 30_000) })).status).toBe(200);
    expect((await (await passwordStep(t.app)).post('/api/totp/verify', { code: await codeAt(secret, now + 30_000) })).status).toBe(200);
    expect((await (await passwordStep(t.app)).post('/api/totp/verify', { code: await codeAt(secret, now + 60_000) })).status).toBe(401);
  });

  it('serves as step-up for a signed-in person and refreshes stepUpAt', async () => {
    const { c, secret } = await signUpWithTotp(t.app);
    nextStep(t.app);
    const res = await verifyTotp(t.app, c, secret);
    expect(res.status).toBe(200);
    expect((await c.get('/api/session')).body).toMatchObject({ stepUpAt: new Date(t.app.clock.now()).toISOString() });
  });

  it('removes an app after a fresh step-up; its codes stop working', async () => {
    const { c, secret: phone } = await signUpWithTotp(t.app);
    t.app.clock.advance(1000);
    const tablet = await enrollTotp(t.app, c, 'Tablet');
    const first = (await c.get<Authenticator[]>('/api/totp/authenticators')).body[0]!;
    expect((await c.delete(`/api/totp/authenticators/${first.id}`)).status).toBe(204);
    expect((await c.get<Authenticator[]>('/api/totp/authenticators')).body.map((a) => a.id)).toEqual([tablet.id]);
    nextStep(t.app);
    expect((await verifyTotp(t.app, await passwordStep(t.app), phone)).status).toBe(401);
    expect((await verifyTotp(t.app, await passwordStep(t.app), tablet.secret)).status).toBe(200);
  });

  it('records enrollment, sign-in and removal in the audit log', async () => {
    const { c, secret, id } = await signUpWithTotp(t.app);
    nextStep(t.app);
    await verifyTotp(t.app, c, secret);
    await enrollTotp(t.app, c, 'Tablet');
    await c.delete(`/api/totp/authenticators/${id}`);
    const session = (await c.get<{ user: { id: string } }>('/api/session')).body;
    const events = await t.storage.audit.listForUser(session.user.id, { limit: 20 });
    const types = events.map((e) => `${e.type}:${e.outcome}`);
    expect(types).toEqual(expect.arrayContaining(['factor.added:success', 'recovery_codes.issued:success', 'signin.totp:success', 'factor.removed:success']));
    expect(JSON.stringify(events)).not.toContain(secret);
  });
});
