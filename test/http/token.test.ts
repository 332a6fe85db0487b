// Session tokens for APIs that cannot share the cookie, and the JWKS that verifies them.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { signUpWithKey } from '../helpers/webauthnFlows.js';
import { fetchJwks, issueToken, kids, verifyToken } from './tokenChecks.js';

describe.each(storageFactories)('session tokens ($name)', (factory) => {
  describe('with the defaults', () => {
    const t = useApp(factory);

    it('issues a short-lived ES256 token that verifies with the served JWKS and says who and how strongly', async () => {
      const c = t.app.client();
      const signedUpAt = t.app.clock.now();
      await signUpWithKey(c, 'alice');
      const me = (await c.get<{ user: { id: string } }>('/api/whoami')).body.user;
      const issued = await issueToken(c);

      const { payload, kid } = await verifyToken(t.app, issued.token);
      expect(kids(await fetchJwks(t.app))).toContain(kid);
      expect(payload).toMatchObject({
        iss: t.app.origin,
        aud: t.app.origin,
        sub: me.id,
        aal: 2,
        amr: ['pwd', 'hwk'],
        auth_time: Math.floor(signedUpAt / 1000),
        iat: Math.floor(t.app.clock.now() / 1000),
        preferred_username: 'alice',
        name: 'alice',
        jti: expect.any(String),
      });
      expect(payload.exp! - payload.iat!).toBe(300);
      expect(issued.expiresAt).toBe(new Date(payload.exp! * 1000).toISOString());
    });

    it('refuses anyone not fully signed in, and requests without an allowed Origin', async () => {
      const c = t.app.client();
      expect((await c.post('/api/token')).body).toMatchObject({ error: 'unauthenticated' });
      await c.post('/api/accounts', { username: 'bob', password: PASSWORD });
      expect((await c.post('/api/token')).body).toMatchObject({ error: 'mfa_required' });

      const d = t.app.client();
      await signUpWithKey(d, 'carol');
      const noOrigin = await d.post('/api/token', {}, { origin: null });
      expect(noOrigin.status).toBe(403);
      const elsewhere = await d.post('/api/token', {}, { origin: 'https://evil.example' });
      expect(elsewhere.status).toBe(403);
      expect((await d.post('/api/token', { aal: 2 })).status).toBe(400);
    });

    it('publishes public keys only, cacheable for a short while', async () => {
      const c = t.app.client();
      await signUpWithKey(c, 'dave');
      await issueToken(c);
      const res = await t.app.client().get<{ keys: Record<string, string>[] }>('/.well-known/jwks.json');
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      // The one JWKS: the ES256 key that signs session tokens, and the RSA key of OpenID Connect.
      expect(res.body.keys).toHaveLength(2);
      expect(Object.keys(res.body.keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(res.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(Object.keys(res.body.keys[1]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(res.body.keys[1]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
      // RSA-2048: a 256-byte modulus.
      expect(Buffer.from(res.body.keys[1]!['n']!, 'base64url')).toHaveLength(256);
    });

    it('serves the JWKS before any token was issued (the first key is made on demand)', async () => {
      expect((await fetchJwks(t.app)).keys.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
    });
  });

  describe('with a short session, a custom audience and the longest token lifetime', () => {
    const t = useApp(factory, { SESSION_MAX_AGE: '120', TOKEN_AUDIENCE: 'https://api.example.com', TOKEN_TTL: '900' });

    it('never lets a token outlive the session it came from', async () => {
      const c = t.app.client();
      await signUpWithKey(c, 'erin');
      const sessionEnds = Date.parse((await c.get<{ expiresAt: string }>('/api/whoami')).body.expiresAt);
      const { payload } = await verifyToken(t.app, (await issueToken(c)).token);
      expect(payload.aud).toBe('https://api.example.com');
      expect(payload.exp! * 1000).toBeLessThanOrEqual(sessionEnds);
      // SESSION_MAX_AGE and the store's few seconds of slack, far below TOKEN_TTL.
      expect(payload.exp! - payload.iat!).toBeLessThan(180);
    });
  });

  describe('with password-only sign-in allowed', () => {
    const t = useApp(factory, { MFA_REQUIRED: 'false' });

    it('says aal 1 in the token of a password-only session', async () => {
      const c = t.app.client();
      await c.post('/api/accounts', { username: 'frank', password: PASSWORD });
      const { payload } = await verifyToken(t.app, (await issueToken(c)).token);
      expect(payload).toMatchObject({ aal: 1, amr: ['pwd'] });
    });
  });
});
