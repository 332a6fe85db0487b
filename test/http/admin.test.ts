import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { embeddedFactory, storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { TEST_SECRETS, startTestApp } from '../helpers/testApp.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { assertWith, registerKey, signUpWithKey } from '../helpers/webauthnFlows.js';
import { signUpWithPasskey } from '../helpers/passkeyFlows.js';
import type { HttpClient, HttpResponse } from '../helpers/httpClient.js';
import { aUser } from '../contract/storageContract.js';
import type { Storage } from '../../server/storage/port.js';

interface AdminUser {
  id: string;
  username: string;
  factors: string[];
  flaggedKeys: number;
  locked: boolean;
  roles: string[];
  password: string;
}

describe.each(storageFactories)('administration ($name)', (factory) => {
  const t = useApp(factory, { ADMIN_USERNAMES: 'root', TRUST_PROXY: 'true' });

  async function admin() {
    const c = t.app.client();
    const { key } = await signUpWithKey(c, 'root');
    return { c, key };
  }

  async function userId(name: string) {
    return (await t.storage.users.findByUsername(name))!.id;
  }

  it('refuses a signed-in non-administrator with 403 forbidden on every admin route', async () => {
    const c = t.app.client();
    await signUpWithKey(c, 'alice');
    const id = await userId('alice');
    for (const [method, path] of [
      ['GET', '/api/admin/users'],
      ['POST', `/api/admin/users/${id}/reset-mfa`],
      ['POST', `/api/admin/users/${id}/unlock`],
      ['POST', `/api/admin/users/${id}/sessions/revoke`],
      ['GET', '/api/admin/audit'],
    ] as const) {
      const res = await c.request(method, path, method === 'POST' ? { json: {} } : {});
      expect(res.status, path).toBe(403);
      expect(res.body).toMatchObject({ error: 'forbidden' });
    }
    expect((await t.app.client().get('/api/admin/users')).status).toBe(401);
  });

  it('lists users with their factors, flags and lock state, and says who is an administrator', async () => {
    const { c } = await admin();
    expect((await c.get('/api/session')).body).toMatchObject({ admin: true });
    const alice = t.app.client();
    await signUpWithKey(alice, 'alice');
    const attacker = t.app.client();
    attacker.headers['X-Forwarded-For'] = '198.51.100.9';
    for (let i = 0; i < 5; i++) await attacker.post('/api/session', { username: 'alice', password: 'wrong guess here' });
    const list = await c.get<AdminUser[]>('/api/admin/users?query=ali');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ username: 'alice', factors: ['webauthn', 'recovery_code'], flaggedKeys: 0, locked: true, roles: [] })]);
  });

  it('says which accounts have no password to fall back on: passkey-only ones, and those an administrator reset', async () => {
    const { c } = await admin();
    await signUpWithKey(t.app.client(), 'alice');
    await signUpWithPasskey(t.app.client(), 'bob');
    await signUpWithKey(t.app.client(), 'carol');
    expect((await c.post(`/api/admin/users/${await userId('carol')}/reset-mfa`, {})).status).toBe(200);
    const list = await c.get<AdminUser[]>('/api/admin/users');
    expect(Object.fromEntries(list.body.map((u) => [u.username, u.password]))).toEqual({ root: 'set', alice: 'set', bob: 'none', carol: 'reset' });
  });

  it('pages through many users by name, each exactly once, following the Link header of each page', async () => {
    const { c } = await admin();
    // 130 people named p000…p129, stored directly: the listing, not sign-up, is under test.
    for (let i = 0; i < 130; i++) await t.storage.users.create(aUser({ username: `P${String(i).padStart(3, '0')}`, usernameNormalized: `p${String(i).padStart(3, '0')}` }));
    const seen: string[] = [];
    let next: string | null = '/api/admin/users?query=p&limit=50';
    const pages: number[] = [];
    while (next) {
      const page: HttpResponse<AdminUser[]> = await c.get<AdminUser[]>(next);
      expect(page.status).toBe(200);
      pages.push(page.body.length);
      seen.push(...page.body.map((u) => u.username));
      next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(pages).toEqual([50, 50, 30]);
    expect(seen).toEqual(Array.from({ length: 130 }, (_, i) => `P${String(i).padStart(3, '0')}`));
    // The default page is 50; a search narrows before paging; a bad cursor or limit is a 400.
    expect((await c.get<AdminUser[]>('/api/admin/users')).body).toHaveLength(50);
    expect((await c.get<AdminUser[]>('/api/admin/users?query=p12')).body.map((u) => u.username)).toEqual(['P120', 'P121', 'P122', 'P123', 'P124', 'P125', 'P126', 'P127', 'P128', 'P129']);
    expect((await c.get('/api/admin/users?cursor=not%20a%20cursor')).status).toBe(400);
    expect((await c.get('/api/admin/users?limit=101')).status).toBe(400);
  });

  it('lists users without a fresh second factor, while every change still asks for one', async () => {
    const { c } = await admin();
    const alice = t.app.client();
    await signUpWithKey(alice, 'alice');
    t.app.clock.advance(301_000);
    expect((await c.get('/api/admin/users?query=ali')).status).toBe(200);
    const change = await c.post(`/api/admin/users/${await userId('alice')}/unlock`, {});
    expect(change.body).toMatchObject({ error: 'step_up_required' });
    expect((await c.get('/api/admin/audit')).body).toMatchObject({ error: 'step_up_required' });
  });

  for (const action of ['reset-mfa', 'unlock', 'sessions/revoke'] as const) {
    it(`needs a fresh second factor for ${action}: refused without, allowed right after, refused 5 minutes later`, async () => {
      const { c, key } = await admin();
      const alice = t.app.client();
      await signUpWithKey(alice, 'alice');
      const id = await userId('alice');
      t.app.clock.advance(301_000);
      const refused = await c.post(`/api/admin/users/${id}/${action}`, {});
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: 'step_up_required' });
      expect((await assertWith(c, key)).status).toBe(200);
      expect((await c.post(`/api/admin/users/${id}/${action}`, {})).status).toBeLessThan(300);
      t.app.clock.advance(301_000);
      expect((await c.post(`/api/admin/users/${id}/${action}`, {})).status).toBe(403);
    });
  }

  it('resets a user\'s second factors and password: the password alone signs in to nothing, the handed-over link enrols once', async () => {
    const { c } = await admin();
    const alice = t.app.client();
    await signUpWithKey(alice, 'alice');
    const other = alice.clone();
    const res = await c.post<{ removed: Record<string, number>; url: string; expiresAt: string }>(`/api/admin/users/${await userId('alice')}/reset-mfa`, {});
    expect(res.body.removed).toMatchObject({ keys: 1, sessions: 1 });
    expect(res.body.url.startsWith(`${t.app.origin}/enrol?token=`)).toBe(true);
    expect((await alice.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    expect((await other.get('/api/session')).body).toMatchObject({ status: 'anonymous' });
    // The old password: no session at any level, so no key or app can be enrolled with it.
    const again = t.app.client();
    const refused = await again.post('/api/session', { username: 'alice', password: PASSWORD });
    expect(refused.status).toBe(401);
    expect((await again.get('/api/session')).body).toMatchObject({ status: 'anonymous', aal: 0 });
    expect((await again.post('/api/webauthn/registration/options', {})).status).toBe(401);
    expect((await again.post('/api/totp/authenticators', {})).status).toBe(401);
    // The link: a new password, then the enrolment, once.
    const token = new URL(res.body.url).searchParams.get('token')!;
    expect((await again.get('/api/enrolment?token=' + token)).body).toMatchObject({ user: { username: 'alice' } });
    expect((await again.post('/api/enrolment', { token, password: 'a new passphrase for alice' })).status).toBe(200);
    expect((await t.app.client().post('/api/enrolment', { token, password: 'another passphrase here' })).status).toBe(403);
    expect((await again.get('/api/recovery-codes')).status).toBe(403);
    const notices = await again.get<{ type: string }[]>('/api/me/notices');
    expect(notices.status).toBe(403); // enrollment first; the notice waits for the next full sign-in
    // ...but the session says why, so the enrolment screen can.
    expect((await again.get('/api/session')).body).toMatchObject({ status: 'enroll_required', enrolReason: 'mfa_reset' });
    await registerKey(again, new SoftAuthenticator(t.app.origin));
    expect((await again.get<{ type: string }[]>('/api/me/notices')).body.map((n) => n.type)).toContain('mfa.reset');
    expect((await again.get('/api/session')).body).not.toHaveProperty('enrolReason');
    expect((await t.app.client().post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(401);
  });

  it('gives a new account that must enrol no reason: nothing was taken from it', async () => {
    await admin();
    const bob = t.app.client();
    expect((await bob.post('/api/accounts', { username: 'bob', password: PASSWORD })).status).toBe(201);
    const session = await bob.get('/api/session');
    expect(session.body).toMatchObject({ status: 'enroll_required' });
    expect(session.body).not.toHaveProperty('enrolReason');
  });

  it('unlocks an account held off by failed attempts', async () => {
    const { c } = await admin();
    const alice = t.app.client();
    await signUpWithKey(alice, 'alice');
    const attacker = t.app.client();
    attacker.headers['X-Forwarded-For'] = '198.51.100.9';
    for (let i = 0; i < 5; i++) await attacker.post('/api/session', { username: 'alice', password: 'wrong guess here' });
    expect((await attacker.post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(429);
    expect((await c.post(`/api/admin/users/${await userId('alice')}/unlock`, {})).status).toBe(204);
    expect((await attacker.post('/api/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
  });

  it('filters and pages the audit trail', async () => {
    const { c } = await admin();
    const alice = t.app.client();
    await signUpWithKey(alice, 'alice');
    const id = await userId('alice');
    const mine = await c.get<{ events: { type: string; userId: string }[] }>(`/api/admin/audit?userId=${id}`);
    expect(mine.body.events.map((e) => e.type)).toEqual(['recovery_codes.issued', 'factor.added', 'account.created']);
    expect(mine.body.events.every((e) => e.userId === id)).toBe(true);
    const byType = await c.get<{ events: { type: string }[] }>('/api/admin/audit?type=account.created&limit=1');
    expect(byType.body.events).toHaveLength(1);
    expect(byType.body.events[0]!.type).toBe('account.created');
    const bad = await c.get('/api/admin/audit?limit=100000');
    expect(bad.status).toBe(400);
  });

  it('audits each admin action with the acting administrator', async () => {
    const { c } = await admin();
    const alice = t.app.client();
    await signUpWithKey(alice, 'alice');
    const id = await userId('alice');
    await c.post(`/api/admin/users/${id}/sessions/revoke`, {});
    const [event] = await t.storage.audit.query({ type: 'admin.revoke_sessions', limit: 1 });
    expect(event).toMatchObject({ userId: id, outcome: 'success', details: { actorId: await userId('root'), sessions: 1 } });
  });
});

describe('keyward admin grant (the CLI)', () => {
  const run = promisify(execFile);
  const REPO = join(import.meta.dirname, '..', '..');

  it('makes a user an administrator, who then reaches the admin routes after a second factor', async () => {
    const created = await embeddedFactory.create();
    const app = await startTestApp({ storage: created.storage });
    try {
      const c: HttpClient = app.client();
      await signUpWithKey(c, 'Operator');
      expect((await c.get('/api/admin/users')).status).toBe(403);
      const dataDir = dirname((created.storage as Storage & { file: string }).file);
      const env = { PATH: process.env['PATH'] ?? '', NODE_ENV: 'test', DATA_DIR: dataDir, ...TEST_SECRETS } as Record<string, string>;
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'admin', 'grant', 'operator'], { cwd: REPO, env });
      expect(stdout).toContain('is an administrator');
      expect((await c.get('/api/admin/users')).status).toBe(200);
      await expect(run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'admin', 'grant', 'nobody'], { cwd: REPO, env })).rejects.toMatchObject({ code: 1 });
    } finally {
      await app.close();
      await created.dispose();
    }
  });
});
