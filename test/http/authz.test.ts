// Forward-auth (/api/authz) and whoami, as a reverse proxy and a service behind Keyward see them.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { passwordStep, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import type { HttpResponse } from '../helpers/httpClient.js';

/** Header values are bytes; fetch reads them as Latin-1. */
const utf8 = (v: string | null) => (v === null ? null : Buffer.from(v, 'latin1').toString('utf8'));

function expectSignIn(res: HttpResponse, status = 401) {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ error: 'unauthenticated', signInUrl: expect.stringMatching(/\/signin/) });
  expect(res.headers.get('location')).toBe((res.body as { signInUrl: string }).signInUrl);
  expect(res.headers.get('remote-user')).toBeNull();
}

describe.each(storageFactories)('forward-auth and whoami ($name)', (factory) => {
  describe('with a second factor required (the default)', () => {
    const t = useApp(factory);

    it('answers 401 with the sign-in page to an anonymous request, never cached', async () => {
      const res = await t.app.client().get('/api/authz');
      expectSignIn(res);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((res.body as { signInUrl: string }).signInUrl).toBe(`${t.app.origin}/signin`);
    });

    it('answers 200 with Remote-User, Remote-Name, Remote-AAL and Remote-AMR at aal 2', async () => {
      const c = t.app.client();
      await signUpWithKey(c, 'alice');
      const res = await c.get('/api/authz');
      expect(res.status).toBe(200);
      expect(res.headers.get('remote-user')).toBe('alice');
      expect(res.headers.get('remote-name')).toBe('alice');
      expect(res.headers.get('remote-aal')).toBe('2');
      expect(res.headers.get('remote-amr')).toBe('pwd,hwk');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect((await c.get('/api/authz?aal=1')).status).toBe(200);
    });

    it('sends a display name beyond ASCII as UTF-8 bytes', async () => {
      const c = t.app.client();
      expect((await c.post('/api/accounts', { username: 'zoë', password: PASSWORD, displayName: 'Zoë Ålund 山田' })).status).toBe(201);
      expect((await registerKey(c, new SoftAuthenticator(c.origin))).status).toBe(201);
      const res = await c.get('/api/authz');
      expect(res.status).toBe(200);
      expect(utf8(res.headers.get('remote-user'))).toBe('zoë');
      expect(utf8(res.headers.get('remote-name'))).toBe('Zoë Ålund 山田');
    });

    it('answers 401 while a second factor is still to be enrolled or entered, at either level', async () => {
      const c = t.app.client();
      await c.post('/api/accounts', { username: 'newbie', password: PASSWORD });
      expect((await c.get('/api/session')).body).toMatchObject({ status: 'enroll_required', aal: 1 });
      expectSignIn(await c.get('/api/authz'));
      expectSignIn(await c.get('/api/authz?aal=1'));

      const d = t.app.client();
      await signUpWithKey(d, 'bob');
      await d.delete('/api/session');
      await passwordStep(d, 'bob');
      expectSignIn(await d.get('/api/authz?aal=1'));
      expect((await d.get('/api/whoami')).status).toBe(401);
    });

    it('refuses a level other than 1, 2 or 3', async () => {
      for (const q of ['aal=4', 'aal=0', 'aal=two', 'aal=1&aal=2']) {
        const res = await t.app.client().get(`/api/authz?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.body).toMatchObject({ error: 'invalid_request' });
      }
    });

    it('redirects (302) instead, for proxies that hand the answer to the browser', async () => {
      const res = await t.app.client().get('/api/authz?redirect=true');
      expectSignIn(res, 302);
    });

    it('whoami describes the signed-in person, their level and when the session ends', async () => {
      const c = t.app.client();
      expect((await c.get('/api/whoami')).body).toMatchObject({ error: 'unauthenticated' });
      const before = t.app.clock.now();
      await signUpWithKey(c, 'carol');
      const res = await c.get<Record<string, unknown>>('/api/whoami');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({
        user: { id: expect.any(String), username: 'carol', displayName: 'carol' },
        groups: [],
        aal: 2,
        amr: ['pwd', 'hwk'],
        authenticatedAt: new Date(before).toISOString(),
        expiresAt: expect.any(String),
      });
      const expiresAt = Date.parse(res.body['expiresAt'] as string);
      // The session's current end: SESSION_IDLE_TIMEOUT after its last request, well before
      // SESSION_MAX_AGE after sign-in.
      expect(expiresAt - before).toBe(t.app.config.sessionIdleTimeoutSeconds * 1000);
      expect(t.app.config.sessionIdleTimeoutSeconds).toBeLessThan(t.app.config.sessionMaxAgeSeconds);
    });
  });

  describe('with password-only sign-in allowed (MFA_REQUIRED=false)', () => {
    const t = useApp(factory, { MFA_REQUIRED: 'false' });

    it('answers 401 at aal 1 when aal 2 is required, and 200 when aal 1 is enough', async () => {
      const c = t.app.client();
      await c.post('/api/accounts', { username: 'dave', password: PASSWORD });
      expect((await c.get('/api/session')).body).toMatchObject({ status: 'authenticated', aal: 1 });
      const refused = await c.get('/api/authz');
      expectSignIn(refused);
      expect(refused.body).toMatchObject({ message: expect.stringMatching(/second factor/) });
      const ok = await c.get('/api/authz?aal=1');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('remote-aal')).toBe('1');
      expect(ok.headers.get('remote-amr')).toBe('pwd');
      expect((await c.get('/api/whoami')).body).toMatchObject({ aal: 1, amr: ['pwd'] });
    });
  });
});
