// Forward-auth must not become an open redirect, must trust forwarded headers only from a
// trusted proxy, and must stop admitting a session the moment it ends, on every instance.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { useApp } from '../helpers/appFixture.js';
import { useTwoInstances } from '../helpers/twoInstances.js';
import { HttpClient } from '../helpers/httpClient.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';

const ALLOW = { AUTHZ_RETURN_DOMAINS: 'app.example.com,.example.org' };

/** The `rd` the sign-in URL carries, or null when it was dropped. */
function returnAddress(body: unknown): string | null {
  return new URL((body as { signInUrl: string }).signInUrl).searchParams.get('rd');
}

describe.each(storageFactories)('forward-auth return addresses ($name)', (factory) => {
  describe('from the rd parameter', () => {
    const t = useApp(factory, ALLOW);
    const ask = async (rd: string) => (await t.app.client().get(`/api/authz?rd=${encodeURIComponent(rd)}`)).body;

    it('keeps an https address on an allow-listed host', async () => {
      expect(returnAddress(await ask('https://app.example.com/reports?id=7'))).toBe('https://app.example.com/reports?id=7');
      expect(returnAddress(await ask('https://wiki.example.org/page'))).toBe('https://wiki.example.org/page');
    });

    it('drops any other address: the sign-in URL is then the bare page', async () => {
      for (const rd of ['https://evil.example/', 'http://app.example.com/', '//evil.example/', 'https://app.example.com.evil.example/', 'javascript:alert(1)']) {
        const body = await ask(rd);
        expect(returnAddress(body), rd).toBeNull();
        expect((body as { signInUrl: string }).signInUrl).toBe(`${t.app.origin}/signin`);
      }
    });
  });

  describe('from X-Forwarded-* headers', () => {
    const forwarded = (host: string) => ({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': host, 'X-Forwarded-Uri': '/deep/link?q=1' });

    describe('behind a trusted proxy (TRUST_PROXY=true)', () => {
      const t = useApp(factory, { ...ALLOW, TRUST_PROXY: 'true' });

      it('builds the return address from them, and drops it for a host outside the list', async () => {
        const ok = await t.app.client().get('/api/authz', { headers: forwarded('app.example.com') });
        expect(returnAddress(ok.body)).toBe('https://app.example.com/deep/link?q=1');
        const evil = await t.app.client().get('/api/authz', { headers: forwarded('evil.example') });
        expect(returnAddress(evil.body)).toBeNull();
      });

      it('answers 401, not a redirect, for a non-GET request even in redirect mode', async () => {
        const res = await t.app.client().get('/api/authz?redirect=true', { headers: { ...forwarded('app.example.com'), 'X-Forwarded-Method': 'POST' } });
        expect(res.status).toBe(401);
      });
    });

    describe('without TRUST_PROXY', () => {
      const t = useApp(factory, ALLOW);

      it('ignores them: anyone can send such headers', async () => {
        const res = await t.app.client().get('/api/authz', { headers: forwarded('app.example.com') });
        expect(returnAddress(res.body)).toBeNull();
      });
    });
  });
});

describe.each(storageFactories)('a session cookie shared with subdomains ($name)', (factory) => {
  const t = useApp(factory, { COOKIE_DOMAIN: 'localhost', COOKIE_SECURE: 'true' });

  it('carries the Domain and so cannot be __Host-: it is __Secure-, still Secure and HttpOnly', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'gina');
    const cookie = (await c.post('/api/session', { username: 'gina', password: 'correct horse battery staple' })).setCookies.find((x) => x.startsWith('__Secure-keyward='));
    expect(cookie).toMatch(/; domain=localhost/i);
    expect(cookie).toMatch(/; secure/i);
    expect(cookie).toMatch(/; httponly/i);
    expect(c.cookies.has('__Host-keyward')).toBe(false);
  });
});

describe('forward-auth after a session ends, on two instances sharing one MongoDB database', () => {
  const t = useTwoInstances('authz');

  /** The same browser (one cookie jar) as seen by each instance. */
  function onBoth(signedIn: HttpClient) {
    const toB = new HttpClient(t.b.url, signedIn.origin);
    for (const [k, v] of signedIn.cookies) toB.cookies.set(k, v);
    return [signedIn.clone(), toB];
  }

  it('admits the session on both instances, and neither once it signed out on one', async () => {
    const c = new HttpClient(t.a.url, t.a.config.origins[0]!);
    await signUpWithKey(c, 'erin');
    const [viaA, viaB] = onBoth(c);
    expect((await viaA!.get('/api/authz')).status).toBe(200);
    expect((await viaB!.get('/api/authz')).status).toBe(200);
    expect((await viaB!.delete('/api/session')).status).toBe(204);
    // The copies still carry the old cookie, as a proxy replaying it would.
    for (const client of onBoth(c)) expect((await client.get('/api/authz')).status).toBe(401);
  });

  it('admits none of a user\'s sessions once they were revoked (admin reset or "sign out everywhere")', async () => {
    const c = new HttpClient(t.a.url, t.a.config.origins[0]!);
    await signUpWithKey(c, 'frank');
    const whoami = await c.get<{ user: { id: string } }>('/api/whoami');
    expect((await onBoth(c)[1]!.get('/api/authz')).status).toBe(200);
    expect(await t.stores[0]!.sessions.destroyAllForUser(whoami.body.user.id)).toBeGreaterThan(0);
    for (const client of onBoth(c)) expect((await client.get('/api/authz')).status).toBe(401);
  });
});
