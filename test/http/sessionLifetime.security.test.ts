import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { useProbedApp } from '../helpers/sessionProbe.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, passwordStep, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { enrollTotp } from './totpSteps.js';

const MIN = 60_000;
const idHashOf = (c: HttpClient) => createHash('sha256').update(c.cookies.get('keyward')!.split('.')[0]!).digest('base64url');
const allowed = async (c: HttpClient) => (await c.get('/api/authz?aal=2')).status === 200;

describe.each(storageFactories)('session lifetime ($name)', (factory) => {
  const t = useProbedApp(factory, { SESSION_MAX_AGE: String(60 * 60), SESSION_IDLE_TIMEOUT: String(30 * 60) });

  /** alice on her own device, and a second session (an attacker with her password and key, or a stolen cookie). */
  async function ownerAndOther() {
    const owner = t.app.client();
    const { key, credential } = await signUpWithKey(owner, 'alice');
    const other = t.app.client();
    await passwordStep(other, 'alice');
    expect((await assertWith(other, key)).status).toBe(200);
    return { owner, other, key, credential };
  }

  it('ends a session SESSION_MAX_AGE after sign-in however much it is used', async () => {
    const { owner } = await ownerAndOther();
    // Used every 10 minutes (never idle) for the whole hour:
    for (let i = 0; i < 5; i++) {
      t.app.clock.advance(10 * MIN);
      expect(await allowed(owner)).toBe(true);
    }
    t.app.clock.advance(10 * MIN - 1);
    expect(await allowed(owner)).toBe(true);
    t.app.clock.advance(1);
    expect(await allowed(owner)).toBe(false);
    expect((await owner.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
  });

  it('ends a session after SESSION_IDLE_TIMEOUT without a request, and not while it is used', async () => {
    const { owner, other } = await ownerAndOther();
    t.app.clock.advance(25 * MIN);
    expect(await allowed(owner)).toBe(true);
    t.app.clock.advance(25 * MIN);
    // owner was seen 25 minutes ago; other 50 minutes ago.
    expect(await allowed(owner)).toBe(true);
    expect(await allowed(other)).toBe(false);
    t.app.clock.advance(30 * MIN);
    expect(await allowed(owner)).toBe(false);
  });

  it('notes a request at most once a minute (no write per forward-auth check)', async () => {
    const { owner } = await ownerAndOther();
    t.writes.length = 0;
    for (let i = 0; i < 5; i++) expect(await allowed(owner)).toBe(true);
    expect(t.writes).toEqual([]);
    t.app.clock.advance(MIN);
    expect(await allowed(owner)).toBe(true);
    expect(await allowed(owner)).toBe(true);
    expect(t.writes).toEqual(['update']);
  });

  it('refuses a stolen cookie once the owner has signed that session out', async () => {
    const { owner, other } = await ownerAndOther();
    const stolen = other.clone();
    const sessions = (await owner.get<{ sessions: { id: string; current: boolean }[] }>('/api/me/sessions')).body.sessions;
    const target = sessions.find((s) => !s.current)!;
    expect((await owner.delete(`/api/me/sessions/${target.id}`)).status).toBe(204);
    expect(await allowed(stolen)).toBe(false);
    expect(await allowed(other)).toBe(false);
    expect((await stolen.get('/api/whoami')).status).toBe(401);
    expect(await allowed(owner)).toBe(true);
    expect((await t.storage.audit.query({ type: 'session.revoked', limit: 5 }))).toHaveLength(1);
  });

  it('signs every other session out, keeping the one that asked', async () => {
    const { owner, other, key } = await ownerAndOther();
    const third = t.app.client();
    await passwordStep(third, 'alice');
    await assertWith(third, key);
    const pending = t.app.client();
    await passwordStep(pending, 'alice');
    const res = await owner.post('/api/me/sessions/revoke-others');
    expect(res.body).toEqual({ revoked: 3 });
    expect(await allowed(other)).toBe(false);
    expect(await allowed(third)).toBe(false);
    // A sign-in that stood at its second step is gone too.
    expect((await pending.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    expect(await allowed(owner)).toBe(true);
    const [event] = await t.storage.audit.query({ type: 'session.revoked_others', limit: 5 });
    expect(event?.details).toEqual({ reason: 'revoke_others', revoked: 3 });
  });

  it('ends the other sessions when a security key is removed', async () => {
    const { owner, other, credential } = await ownerAndOther();
    expect((await registerKey(owner, new SoftAuthenticator(owner.origin))).status).toBe(201);
    expect((await owner.delete(`/api/webauthn/credentials/${credential.id}`)).status).toBe(204);
    expect(await allowed(other)).toBe(false);
    expect(await allowed(owner)).toBe(true);
    const [event] = await t.storage.audit.query({ type: 'session.revoked_others', limit: 5 });
    expect(event?.details).toEqual({ reason: 'factor_removed', revoked: 1 });
  });

  it('ends the other sessions when an authenticator app is removed', async () => {
    const { owner, other } = await ownerAndOther();
    const app = await enrollTotp(t.app, owner);
    expect((await owner.delete(`/api/totp/authenticators/${app.id}`)).status).toBe(204);
    expect(await allowed(other)).toBe(false);
    expect(await allowed(owner)).toBe(true);
  });

  it('ends the other sessions when recovery codes are regenerated', async () => {
    const { owner, other } = await ownerAndOther();
    expect((await owner.post('/api/recovery-codes')).status).toBe(201);
    expect(await allowed(other)).toBe(false);
    expect(await allowed(owner)).toBe(true);
  });

  it('changes the password after step-up and ends every other session', async () => {
    const { owner, other } = await ownerAndOther();
    const newPassword = 'a brand new passphrase';
    expect((await owner.post('/api/me/password', { currentPassword: 'not it at all', newPassword })).body).toMatchObject({ error: 'invalid_credentials' });
    expect(await allowed(other)).toBe(true);
    expect((await owner.post('/api/me/password', { currentPassword: PASSWORD, newPassword })).status).toBe(204);
    expect(await allowed(other)).toBe(false);
    expect(await allowed(owner)).toBe(true);
    expect((await t.app.client().post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(401);
    expect((await t.app.client().post('/api/session', { username: 'alice', password: newPassword })).body).toMatchObject({ status: 'mfa_required' });
    const [event] = await t.storage.audit.query({ type: 'password.changed', limit: 1 });
    expect(event?.outcome).toBe('success');
  });

  it('asks for a fresh second factor before changing the password', async () => {
    const { owner, other } = await ownerAndOther();
    t.app.clock.advance(6 * MIN);
    const res = await owner.post('/api/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' });
    expect(res.body).toMatchObject({ error: 'step_up_required' });
    expect(await allowed(other)).toBe(true);
  });

  describe('a session ended while one of its requests is in flight is not written back', () => {
    async function endMidRequest(request: (c: HttpClient) => Promise<unknown>) {
      const { owner, other } = await ownerAndOther();
      const victim = idHashOf(other);
      let ended = false;
      t.beforeWrite = async (method, idHash) => {
        if (method !== 'update' || idHash !== victim || ended) return;
        ended = true;
        // Between the request's read of its session and its write: the owner ends it.
        expect((await owner.post('/api/me/sessions/revoke-others')).body).toEqual({ revoked: 1 });
      };
      await request(other.clone());
      expect(ended).toBe(true);
      expect(await t.storage.sessions.get(victim, t.app.clock.now())).toBeNull();
      expect(await allowed(other)).toBe(false);
    }

    it('when the request only notes that the session was used', async () => {
      await endMidRequest(async (c) => {
        t.app.clock.advance(2 * MIN);
        await c.get('/api/authz');
      });
    });

    it('when the request changed the session (a new ceremony binding)', async () => {
      await endMidRequest(async (c) => {
        expect((await c.post('/api/webauthn/registration/options', {})).status).toBe(200);
      });
    });

    it('when the request completes a second factor (the new session id is not issued)', async () => {
      const { owner, key } = await ownerAndOther();
      const pending = t.app.client();
      await passwordStep(pending, 'alice');
      const options = await pending.post<Parameters<SoftAuthenticator['assert']>[0]>('/api/webauthn/authentication/options', {});
      const victim = idHashOf(pending);
      t.beforeWrite = async (method, idHash) => {
        if (method !== 'rotate' || idHash !== victim) return;
        t.beforeWrite = null;
        expect((await owner.post('/api/me/sessions/revoke-others')).body).toEqual({ revoked: 2 });
      };
      const res = await pending.post('/api/webauthn/authentication/verify', { response: key.assert(options.body) });
      expect(res.body).toMatchObject({ error: 'unauthenticated' });
      expect(pending.cookies.has('keyward')).toBe(false);
      const sessions = (await owner.get<{ sessions: unknown[] }>('/api/me/sessions')).body.sessions;
      expect(sessions).toHaveLength(1);
    });
  });
});
