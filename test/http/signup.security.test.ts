// Who may create an account: SIGNUP modes, single-use invitations (bound to an address when
// issued for one), and accounts an administrator adds with an enrolment link.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { PASSWORD, useApp } from '../helpers/appFixture.js';
import { burst, countStatuses } from '../helpers/burst.js';
import { accountWith, invite, seedInvitation, signUpInvited, tokenOf } from '../helpers/accessFlows.js';
import { registerKey } from '../helpers/webauthnFlows.js';
import { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { useTwoInstances } from '../helpers/twoInstances.js';

describe.each(storageFactories)('who may sign up ($name)', (factory) => {
  describe('SIGNUP=closed', () => {
    const t = useApp(factory, { SIGNUP: 'closed', ADMIN_USERNAMES: 'root' });

    it('refuses a stranger with 403 forbidden and says administrators create accounts', async () => {
      const res = await t.app.client().post('/api/accounts', { username: 'stranger', password: PASSWORD });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/administrator/) });
      expect(await t.storage.users.findByUsername('stranger')).toBeNull();
      expect((await t.app.client().get('/api/signup')).body).toEqual({ mode: 'closed', emailDomains: [], passwords: 'optional' });
    });

    it('refuses an invitation too: only administrators add people', async () => {
      const invitation = await seedInvitation(t.storage, t.app.clock.now());
      expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'guest'))).status).toBe(403);
    });
  });

  describe('SIGNUP=invite', () => {
    // The bursts below test single use, not the per-address sign-up limit.
    const t = useApp(factory, { SIGNUP: 'invite', ADMIN_USERNAMES: 'root', RATE_LIMIT_SIGNUP_MAX: '1000' });
    const admin = async () => {
      const c = t.app.client();
      await signUpInvited(c, t.storage, t.app.clock.now(), 'root');
      return c;
    };

    it('refuses sign-up without an invitation, and accepts one invitation once, with its groups', async () => {
      expect((await t.app.client().post('/api/accounts', { username: 'stranger', password: PASSWORD })).body).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/invitation/) });
      const root = await admin();
      const invitation = await invite(root, { groups: ['staff'] });
      const ann = t.app.client();
      expect((await ann.post('/api/accounts', accountWith(invitation, 'ann'))).status).toBe(201);
      expect((await t.storage.users.findByUsername('ann'))?.groups).toEqual(['staff']);
      const again = await t.app.client().post('/api/accounts', accountWith(invitation, 'bob'));
      expect(again.status).toBe(403);
      expect(again.body).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/used already, has expired/) });
      const types = (await root.get<{ events: { type: string }[] }>('/api/admin/audit?limit=50')).body.events.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['invitation.created', 'invitation.redeemed']));
    });

    it('creates ONE account from 50 simultaneous redemptions of one invitation', async () => {
      const invitation = await seedInvitation(t.storage, t.app.clock.now());
      const port = Number(new URL(t.app.url).port);
      const requests = Array.from({ length: 50 }, (_, i) => ({
        method: 'POST',
        path: '/api/accounts',
        headers: { Origin: t.app.origin },
        json: accountWith(invitation, `racer${i}`),
      }));
      const statuses = countStatuses(await burst(port, requests));
      expect(statuses).toEqual({ 201: 1, 403: 49 });
      expect(await t.storage.users.search('racer', 100)).toHaveLength(1);
    });

    it('refuses an invitation once it has expired', async () => {
      const root = await admin();
      const invitation = await invite(root, { expiresIn: 3600 });
      t.app.clock.advance(3_600_001);
      expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'late'))).status).toBe(403);
    });

    it('binds an invitation to its address: another address or none is refused and does not spend it', async () => {
      const root = await admin();
      const invitation = await invite(root, { email: 'Ann@Example.com' });
      expect((await t.app.client().get(`/api/signup/invitation?token=${invitation}`)).body).toMatchObject({ email: 'ann@example.com' });
      expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'eve'))).status).toBe(403);
      expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'eve', { email: 'eve@example.com' }))).body).toMatchObject({ message: expect.stringMatching(/another e-mail address/) });
      expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'ann', { email: 'ann@example.com' }))).status).toBe(201);
      expect((await t.storage.users.findByUsername('ann'))?.email).toBe('ann@example.com');
    });

    it('keeps an invitation usable when the username it was tried with is taken', async () => {
      const root = await admin();
      const invitation = await invite(root);
      expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'root'))).status).toBe(409);
      expect((await t.app.client().post('/api/accounts', accountWith(invitation, 'fresh'))).status).toBe(201);
    });

    it('adds a user whose single-use enrolment link sets the first password, then the second factor', async () => {
      const root = await admin();
      const added = await root.post<{ url: string; user: { groups: string[] } }>('/api/admin/users', { username: 'carol', groups: ['ops'] });
      expect(added.status).toBe(201);
      expect(added.body.user.groups).toEqual(['ops']);
      const token = tokenOf(added.body.url);
      expect(new URL(added.body.url).pathname).toBe('/enrol');
      // No password works before enrolment.
      expect((await t.app.client().post('/api/session', { username: 'carol', password: '!unset' })).status).toBe(401);
      const carol = t.app.client();
      expect((await carol.get(`/api/enrolment?token=${token}`)).body).toMatchObject({ user: { username: 'carol' } });
      expect((await carol.post('/api/enrolment', { token, password: PASSWORD })).status).toBe(200);
      expect((await carol.get('/api/session')).body).toMatchObject({ status: 'enroll_required', aal: 1 });
      expect((await registerKey(carol, new SoftAuthenticator(carol.origin))).status).toBe(201);
      expect((await carol.get('/api/whoami')).body).toMatchObject({ user: { username: 'carol' }, groups: ['ops'], aal: 2 });
      // Single use: the link cannot set another password.
      expect((await t.app.client().post('/api/enrolment', { token, password: 'another long password' })).status).toBe(403);
      expect((await t.app.client().post('/api/session', { username: 'carol', password: PASSWORD })).body).toMatchObject({ status: 'mfa_required' });
    });
  });

  describe('groups (SIGNUP=invite)', () => {
    // The bursts below test single use, not the per-address sign-up limit.
    const t = useApp(factory, { SIGNUP: 'invite', ADMIN_USERNAMES: 'root', RATE_LIMIT_SIGNUP_MAX: '1000' });

    it('lets an administrator add and remove groups, audited, shown to apps within the cache minute', async () => {
      const root = t.app.client();
      await signUpInvited(root, t.storage, t.app.clock.now(), 'root');
      const dan = t.app.client();
      await signUpInvited(dan, t.storage, t.app.clock.now(), 'dan');
      const id = (await t.storage.users.findByUsername('dan'))!.id;
      expect((await dan.get('/api/whoami')).body).toMatchObject({ groups: [] });
      const changed = await root.request('PATCH', `/api/admin/users/${id}/groups`, { json: { add: ['ops', 'staff'] } });
      expect(changed.body).toEqual({ groups: ['ops', 'staff'] });
      expect((await root.request('PATCH', `/api/admin/users/${id}/groups`, { json: { add: ['x'], remove: ['x'] } })).status).toBe(400);
      expect((await root.request('PATCH', `/api/admin/users/${id}/groups`, { json: { add: ['a,b'] } })).status).toBe(400);
      expect((await root.request('PATCH', `/api/admin/users/nobody/groups`, { json: { add: ['a'] } })).status).toBe(404);
      expect((await dan.request('PATCH', `/api/admin/users/${id}/groups`, { json: { add: ['admin'] } })).status).toBe(403);
      expect((await root.request('PATCH', `/api/admin/users/${id}/groups`, { json: { remove: ['staff'] } })).body).toEqual({ groups: ['ops'] });
      t.app.clock.advance(60_001);
      const authz = await dan.get('/api/authz');
      expect(authz.headers.get('remote-groups')).toBe('ops');
      const events = (await root.get<{ events: { type: string; details: Record<string, unknown> }[] }>(`/api/admin/audit?userId=${id}&type=admin.groups_changed`)).body.events;
      expect(events.map((e) => e.details['groups'])).toEqual([['ops'], ['ops', 'staff']]);
    });
  });

  describe('SIGNUP=open with SIGNUP_EMAIL_DOMAINS', () => {
    const t = useApp(factory, { SIGNUP: 'open', SIGNUP_EMAIL_DOMAINS: 'example.com' });

    it('needs an address at a listed domain', async () => {
      const c = () => t.app.client();
      expect((await c().post('/api/accounts', { username: 'nomail', password: PASSWORD })).status).toBe(403);
      expect((await c().post('/api/accounts', { username: 'other', password: PASSWORD, email: 'x@example.org' })).status).toBe(403);
      expect((await c().post('/api/accounts', { username: 'sub', password: PASSWORD, email: 'x@evil.example.com.org' })).status).toBe(403);
      expect((await c().post('/api/accounts', { username: 'okay', password: PASSWORD, email: 'ok@Example.com' })).status).toBe(201);
      expect((await t.storage.users.findByUsername('okay'))?.email).toBe('ok@example.com');
    });
  });
});

describe('one invitation redeemed on two instances at once (one MongoDB database)', () => {
  const t = useTwoInstances('invite', { RATE_LIMIT_SIGNUP_MAX: '1000' });

  it('creates ONE account from 50 redemptions split across both instances', async () => {
    const invitation = await seedInvitation(t.stores[0]!, t.a.clock.now());
    const ports = [Number(new URL(t.a.url).port), Number(new URL(t.b.url).port)];
    const requests = Array.from({ length: 50 }, (_, i) => ({ method: 'POST', path: '/api/accounts', headers: { Origin: t.a.config.origins[0]! }, json: accountWith(invitation, `twin${i}`) }));
    expect(countStatuses(await burst((i) => ports[i % 2]!, requests))).toEqual({ 201: 1, 403: 49 });
    expect(await t.stores[0]!.users.search('twin', 100)).toHaveLength(1);
  });
});
