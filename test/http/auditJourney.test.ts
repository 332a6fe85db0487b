// One person's whole journey leaves exactly the expected audit events, each with the
// address and browser it came from, and the notices the person should read.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, passwordStep, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';

const IP = '203.0.113.44';
const UA = 'JourneyBrowser/1.0';

describe.each(storageFactories)('audit trail of a journey ($name)', (factory) => {
  const t = useApp(factory, { TRUST_PROXY: 'true', ADMIN_USERNAMES: 'root' });

  it('records sign-up, enrollment, sign-out, a failure, sign-in, a key change and an admin reset', async () => {
    const c = t.app.client();
    c.headers['X-Forwarded-For'] = IP;
    c.headers['User-Agent'] = UA;
    const key = new SoftAuthenticator(t.app.origin);
    await signUpWithKey(c, 'alice', key);
    await c.delete('/api/session');
    expect((await c.post('/api/session', { username: 'alice', password: 'not my password' })).status).toBe(401);
    await passwordStep(c, 'alice');
    expect((await assertWith(c, key)).status).toBe(200);
    await registerKey(c, new SoftAuthenticator(t.app.origin), {}, 'Backup');
    const first = key.credentials[0]!.id.toString('base64url');
    expect((await c.delete(`/api/webauthn/credentials/${first}`)).status).toBe(204);

    const root = t.app.client();
    await signUpWithKey(root, 'root');
    const aliceId = (await t.storage.users.findByUsername('alice'))!.id;
    const reset = await root.post<{ url: string }>(`/api/admin/users/${aliceId}/reset-mfa`, {});
    expect(reset.status).toBe(200);

    const events = (await t.storage.audit.listForUser(aliceId, { limit: 50 })).reverse();
    expect(events.map((e) => `${e.type}:${e.outcome}`)).toEqual([
      'account.created:success',
      'factor.added:success',
      'recovery_codes.issued:success',
      'session.signout:success',
      'signin.password:failure',
      'signin.password:success',
      'signin.webauthn:success',
      'factor.added:success',
      'factor.removed:success',
      // Removing a key signs the person's other sessions out.
      'session.revoked_others:success',
      'admin.reset_mfa:success',
    ]);
    const byAlice = events.filter((e) => e.type !== 'admin.reset_mfa');
    expect(byAlice.every((e) => e.ip === IP && e.userAgent === UA && typeof e.requestId === 'string')).toBe(true);
    expect(events.at(-1)).toMatchObject({ ip: '127.0.0.1', details: { actorId: (await t.storage.users.findByUsername('root'))!.id } });

    // Her own activity view shows the same, newest first.
    // Back in with the link the administrator handed over (the password alone no longer works).
    const again = t.app.client();
    expect((await again.post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(401);
    await again.post('/api/enrolment', { token: new URL(reset.body.url).searchParams.get('token'), password: PASSWORD });
    await registerKey(again, new SoftAuthenticator(t.app.origin));
    const activity = await again.get<{ events: { type: string; ip: string }[] }>('/api/me/activity?limit=3');
    expect(activity.body.events.map((e) => e.type)).toEqual(['recovery_codes.issued', 'factor.added', 'enrolment.completed']);
  });

  it('tells the person which factor each event was about, a step-up from a sign-in, and pages back with next', async () => {
    const c = t.app.client();
    const key = new SoftAuthenticator(t.app.origin);
    await signUpWithKey(c, 'bob', key);
    type Page = { events: { type: string; factor: string | null; stepUp: boolean; details?: unknown }[]; next: number | null };
    const all = await c.get<Page>('/api/me/activity?limit=10');
    expect(all.body.events).toContainEqual(expect.objectContaining({ type: 'factor.added', factor: 'webauthn', stepUp: false }));
    expect(all.body.events.every((e) => !('details' in e))).toBe(true);
    t.app.clock.advance(1_000);
    expect((await assertWith(c, key)).status).toBe(200); // signed in already: this confirms a change
    const first = await c.get<Page>('/api/me/activity?limit=1');
    expect(first.body.events).toEqual([expect.objectContaining({ type: 'signin.webauthn', factor: null, stepUp: true })]);
    const older = await c.get<Page>(`/api/me/activity?limit=10&before=${first.body.next}`);
    expect(older.body.events.map((e) => e.type)).toEqual(all.body.events.map((e) => e.type));
  });

  it('pages back one event at a time without skipping events written in the same millisecond', async () => {
    const c = t.app.client();
    // The test clock stands still: every event of the sign-up shares one millisecond.
    await signUpWithKey(c, 'carol');
    type Page = { events: { id: string; at: string }[]; next: number | null; nextId: string | null };
    const all = (await c.get<Page>('/api/me/activity?limit=100')).body.events;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(new Set(all.map((e) => e.at)).size).toBe(1);
    const seen: string[] = [];
    let page = (await c.get<Page>('/api/me/activity?limit=1')).body;
    for (;;) {
      seen.push(...page.events.map((e) => e.id));
      if (page.next === null) break;
      page = (await c.get<Page>(`/api/me/activity?limit=1&before=${page.next}&beforeId=${encodeURIComponent(page.nextId!)}`)).body;
    }
    expect(seen).toEqual(all.map((e) => e.id));
  });
});
