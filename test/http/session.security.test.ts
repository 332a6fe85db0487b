import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';

describe.each(storageFactories)('session security ($name)', (factory) => {
  const t = useApp(factory);

  async function signedUp(username = 'alice') {
    const c = t.app.client();
    await c.post('/api/accounts', { username, password: PASSWORD });
    await c.delete('/api/session');
    return c;
  }

  it('gives the same 401 invalid_credentials for an unknown user and a wrong password', async () => {
    await signedUp();
    const wrong = await t.app.client().post('/api/session', { username: 'alice', password: 'not the password' });
    const unknown = await t.app.client().post('/api/session', { username: 'nobody-here', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body).toMatchObject({ error: 'invalid_credentials' });
    expect(wrong.setCookies).toEqual([]);
  });

  it('signs in with the username in any case', async () => {
    await signedUp('Frank');
    const res = await t.app.client().post('/api/session', { username: 'FRANK', password: PASSWORD });
    expect(res.status).toBe(200);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, without Secure when not configured', async () => {
    const c = t.app.client();
    const res = await c.post('/api/accounts', { username: 'alice', password: PASSWORD });
    const cookie = res.setCookies.find((s) => s.startsWith('keyward='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; httponly/i);
    expect(cookie).toMatch(/; samesite=lax/i);
    expect(cookie).not.toMatch(/; secure/i);
  });

  it('issues a new session id at sign-in; the id from before sign-in is worthless', async () => {
    const c = await signedUp();
    await c.get('/api/session');
    // A session that exists before sign-in (e.g. planted by an attacker):
    const pre = t.app.client();
    await pre.post('/api/session', { username: 'alice', password: 'wrong password' });
    await pre.post('/api/session', { username: 'alice', password: PASSWORD });
    const first = pre.cookies.get('keyward');
    const attacker = pre.clone();
    await pre.post('/api/session', { username: 'alice', password: PASSWORD });
    const second = pre.cookies.get('keyward');
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await attacker.get('/api/session')).body).toMatchObject({ status: 'anonymous', aal: 0 });
    expect((await pre.get('/api/session')).body).toMatchObject({ status: 'enroll_required', aal: 1 });
  });

  it('destroys the session at sign-out, so a copied cookie no longer works', async () => {
    const c = await signedUp();
    await c.post('/api/session', { username: 'alice', password: PASSWORD });
    const copy = c.clone();
    const out = await c.delete('/api/session');
    expect(out.status).toBe(204);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    expect((await copy.get('/api/session')).body).toMatchObject({ status: 'anonymous', aal: 0, factors: [] });
  });

  it('keeps the session in the database, not in the cookie', async () => {
    const c = await signedUp();
    await c.post('/api/session', { username: 'alice', password: PASSWORD });
    const value = c.cookies.get('keyward')!;
    expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain('alice');
    const { createHash } = await import('node:crypto');
    const stored = await t.storage.sessions.get(createHash('sha256').update(value.split('.')[0]!).digest('base64url'), t.app.clock.now());
    expect(stored?.data).toMatchObject({ stage: 'enroll_required', aal: 1 });
  });

  it('refuses a tampered session cookie signature', async () => {
    const c = await signedUp();
    await c.post('/api/session', { username: 'alice', password: PASSWORD });
    const [id] = c.cookies.get('keyward')!.split('.');
    c.cookies.set('keyward', `${id}.${Buffer.alloc(32).toString('base64url')}`);
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
  });
});

describe.each(storageFactories)('secure cookies ($name)', (factory) => {
  const t = useApp(factory, { COOKIE_SECURE: 'true' });

  it('names the cookie __Host- and marks it Secure when COOKIE_SECURE is on', async () => {
    const res = await t.app.client().post('/api/accounts', { username: 'alice', password: PASSWORD });
    const cookie = res.setCookies.find((s) => s.startsWith('__Host-keyward='));
    expect(cookie).toMatch(/; secure/i);
    expect(cookie).toMatch(/; path=\//i);
    expect(cookie).not.toMatch(/domain=/i);
  });
});
