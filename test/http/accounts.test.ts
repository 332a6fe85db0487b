import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';

describe.each(storageFactories)('accounts ($name)', (factory) => {
  const t = useApp(factory);

  it('creates an account and leaves the person signed in at aal 1, asked to enroll a second factor', async () => {
    const c = t.app.client();
    const res = await c.post('/api/accounts', { username: 'Alice', password: PASSWORD, displayName: 'Alice Liddell' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ user: { id: expect.any(String), username: 'Alice', displayName: 'Alice Liddell' } });
    const session = await c.get('/api/session');
    expect(session.body).toMatchObject({ status: 'enroll_required', aal: 1, factors: [], user: { username: 'Alice' } });
  });

  it('answers 409 username_taken for a username that differs only in case', async () => {
    await t.app.client().post('/api/accounts', { username: 'bob', password: PASSWORD });
    const res = await t.app.client().post('/api/accounts', { username: 'BOB', password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'username_taken' });
  });

  it('uses the username as display name when none is given', async () => {
    const res = await t.app.client().post('/api/accounts', { username: 'carol', password: PASSWORD });
    expect(res.body).toMatchObject({ user: { displayName: 'carol' } });
  });

  it('refuses a password below the length floor and one above the ceiling, naming the field', async () => {
    const short = await t.app.client().post('/api/accounts', { username: 'dave', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('password') });
    const long = await t.app.client().post('/api/accounts', { username: 'dave', password: 'x'.repeat(257) });
    expect(long.status).toBe(400);
  });

  it('refuses usernames with spaces or control characters and unknown fields', async () => {
    for (const body of [
      { username: 'a b', password: PASSWORD },
      { username: 'evil\u0000', password: PASSWORD },
      { username: 'ok_name', password: PASSWORD, admin: true },
      { username: 'ok_name', password: 12345678 },
    ]) {
      const res = await t.app.client().post('/api/accounts', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
  });
});

describe.each(storageFactories)('accounts without MFA policy ($name)', (factory) => {
  const t = useApp(factory, { MFA_REQUIRED: 'false' });

  it('signs a person without factors in at aal 1 when MFA is not required', async () => {
    const c = t.app.client();
    await c.post('/api/accounts', { username: 'erin', password: PASSWORD });
    await c.delete('/api/session');
    const res = await c.post('/api/session', { username: 'erin', password: PASSWORD });
    expect(res.body).toEqual({ status: 'authenticated' });
    expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 1 });
  });
});
