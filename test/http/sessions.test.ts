import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { useProbedApp } from '../helpers/sessionProbe.js';
import type { SessionSummary } from '../../server/session/createSessionControl.js';
import type { HttpClient } from '../helpers/httpClient.js';
import { assertWith, passwordStep, signUpWithKey } from '../helpers/webauthnFlows.js';

// What GET /api/me/sessions answers, as the server's session control defines it.
type Listed = SessionSummary;

describe.each(storageFactories)('where you are signed in ($name)', (factory) => {
  const t = useProbedApp(factory);

  /** alice signed in twice: on a "laptop" (sign-up with a key) and a "phone" (password + key). */
  async function twoDevices() {
    const laptop = t.app.client();
    laptop.headers['User-Agent'] = 'Laptop/1.0';
    const { key } = await signUpWithKey(laptop, 'alice');
    const phone = t.app.client();
    phone.headers['User-Agent'] = 'Phone/2.0';
    await passwordStep(phone, 'alice');
    expect((await assertWith(phone, key)).status).toBe(200);
    return { laptop, phone, key };
  }

  const list = async (c: HttpClient) => {
    const res = await c.get<{ sessions: Listed[] }>('/api/me/sessions');
    expect(res.status).toBe(200);
    return res.body.sessions;
  };

  it('lists the person\'s sessions with the one asking marked current', async () => {
    const { laptop, phone } = await twoDevices();
    const seen = await list(laptop);
    expect(seen).toHaveLength(2);
    const mine = seen.find((s) => s.current)!;
    const other = seen.find((s) => !s.current)!;
    expect(mine).toMatchObject({ userAgent: 'Laptop/1.0', ip: expect.stringMatching(/127\.0\.0\.1/), aal: 2 });
    expect(other).toMatchObject({ userAgent: 'Phone/2.0', aal: 2 });
    for (const s of seen) {
      expect(Date.parse(s.expiresAt)).toBeGreaterThan(Date.parse(s.lastSeenAt));
      expect(Date.parse(s.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
    }
    const fromPhone = await list(phone);
    expect(fromPhone.find((s) => s.current)?.id).toBe(other.id);
  });

  it('keeps one handle per device across the second factor, and never shows the cookie or its hash', async () => {
    const { laptop } = await twoDevices();
    const cookie = laptop.cookies.get('keyward')!;
    const id = cookie.split('.')[0]!;
    const hash = createHash('sha256').update(id).digest('base64url');
    const text = JSON.stringify(await list(laptop));
    for (const secret of [cookie, id, hash]) expect(text).not.toContain(secret);
    // The laptop's sign-up (aal 1) and its first key (aal 2) are one entry, not two.
    expect((await list(laptop)).filter((s) => s.userAgent === 'Laptop/1.0')).toHaveLength(1);
  });

  it('refuses the list to a visitor and to a session waiting for its second factor', async () => {
    await twoDevices();
    expect((await t.app.client().get('/api/me/sessions')).status).toBe(401);
    const pending = t.app.client();
    await passwordStep(pending, 'alice');
    expect((await pending.get('/api/me/sessions')).body).toMatchObject({ error: 'mfa_required' });
  });

  it('answers 404 for a handle that is not one of the person\'s sessions', async () => {
    const { laptop } = await twoDevices();
    const bob = t.app.client();
    await signUpWithKey(bob, 'bob');
    const bobs = (await list(bob))[0]!.id;
    expect((await laptop.delete(`/api/me/sessions/${bobs}`)).status).toBe(404);
    expect((await laptop.delete('/api/me/sessions/no-such-session')).status).toBe(404);
    expect((await bob.get('/api/authz')).status).toBe(200);
  });

  it('signs this device out when the person ends the current session from the list', async () => {
    const { laptop, phone } = await twoDevices();
    const mine = (await list(laptop)).find((s) => s.current)!;
    expect((await laptop.delete(`/api/me/sessions/${mine.id}`)).status).toBe(204);
    expect(laptop.cookies.has('keyward')).toBe(false);
    expect((await laptop.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    expect((await phone.get('/api/authz')).status).toBe(200);
  });

  it('stores nothing and sets no cookie for an anonymous GET /api/session', async () => {
    const visitor = t.app.client();
    const res = await visitor.get('/api/session');
    expect(res.body).toMatchObject({ status: 'anonymous' });
    expect(res.setCookies).toEqual([]);
    expect((await visitor.get('/api/authz')).status).toBe(401);
    expect(t.writes).toEqual([]);
  });

  it('stores nothing and sets no cookie for a failed sign-in', async () => {
    const owner = t.app.client();
    await owner.post('/api/accounts', { username: 'alice', password: PASSWORD });
    t.writes.length = 0;
    const res = await t.app.client().post('/api/session', { username: 'alice', password: 'wrong password!' });
    expect(res.status).toBe(401);
    expect(res.setCookies).toEqual([]);
    expect(t.writes).toEqual([]);
  });

  it('stores a visitor\'s session only once it holds a ceremony, and then once', async () => {
    const visitor = t.app.client();
    const res = await visitor.post('/api/webauthn/authentication/options', {});
    expect(res.status).toBe(200);
    expect(res.setCookies.filter((c) => c.startsWith('keyward='))).toHaveLength(1);
    expect(t.writes).toEqual(['create']);
    // The next ceremony reuses it: no new row, no new cookie, no write.
    const again = await visitor.post('/api/webauthn/authentication/options', {});
    expect(again.setCookies).toEqual([]);
    expect(t.writes).toEqual(['create']);
  });

  it('clears a cookie that names no live session', async () => {
    const { laptop } = await twoDevices();
    const stale = laptop.clone();
    await laptop.delete('/api/session');
    const res = await stale.get('/api/session');
    expect(res.setCookies.some((c) => /^keyward=;.*Expires=Thu, 01 Jan 1970/.test(c))).toBe(true);
  });
});
