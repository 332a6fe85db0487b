// People from an LDAP directory (a real OpenLDAP, test/helpers/slapd.ts): their directory
// password, then Keyward's keys on top, their directory groups at forward-auth, and what
// happens when the directory changes or stops answering.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { enrolDirectoryPerson, useDirectoryApp, useSlapd } from '../helpers/directoryFixture.js';
import { assertWith } from '../helpers/webauthnFlows.js';
import { PEOPLE } from '../helpers/slapd.js';
import type { HttpClient } from '../helpers/httpClient.js';
import type { SoftAuthenticator } from '../helpers/softAuthenticator.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { accessCommands } from '../../server/access/accessCommands.js';

const pw = (uid: string) => PEOPLE.find((p) => p.uid === uid)!.password;

async function signInWithKey(c: HttpClient, username: string, password: string, key: SoftAuthenticator) {
  const step = await c.post('/api/session', { username, password });
  expect(step.body, JSON.stringify(step.body)).toMatchObject({ status: 'mfa_required', factors: expect.arrayContaining(['webauthn']) });
  const res = await assertWith(c, key);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe.each(storageFactories)('directory people ($name)', (factory) => {
  const directory = useSlapd();
  const t = useDirectoryApp(factory, directory);

  it('signs a directory person in with their directory password and asks them to enrol a second factor', async () => {
    const c = t.app.client();
    const res = await c.post('/api/session', { username: 'alice', password: pw('alice') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'enroll_required' });
    const session = await c.get('/api/session');
    expect(session.body).toMatchObject({ status: 'enroll_required', aal: 1, user: { username: 'alice', displayName: 'Alice Liddell' } });
  });

  it('refuses a wrong directory password as invalid_credentials and counts it', async () => {
    const c = t.app.client();
    for (let i = 0; i < 5; i++) {
      const res = await c.post('/api/session', { username: 'bob', password: `wrong-${i}` });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'invalid_credentials' });
    }
    // The sixth guess from this address meets the per-account-and-address budget: the bind
    // is never tried, not even with the right password.
    const sixth = await c.post('/api/session', { username: 'bob', password: pw('bob') });
    expect(sixth.status).toBe(429);
  });

  it('answers an unknown name like a wrong password', async () => {
    const res = await t.app.client().post('/api/session', { username: 'nobody', password: 'whatever-password' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_credentials' });
  });

  it('keeps Keyward keys on top: after enrolment, password then key, and forward-auth carries the directory groups', async () => {
    const c = t.app.client();
    const key = await enrolDirectoryPerson(c, 'alice', pw('alice'));
    await c.delete('/api/session');

    const d = t.app.client();
    await signInWithKey(d, 'alice', pw('alice'), key);
    const res = await d.get('/api/authz?aal=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('remote-user')).toBe('alice');
    expect(res.headers.get('remote-name')).toBe('Alice Liddell');
    expect(res.headers.get('remote-groups')).toBe('admins,engineering');
    const who = await d.get('/api/whoami');
    expect(who.body).toMatchObject({ user: { username: 'alice' }, groups: ['admins', 'engineering'] });
  });

  it('merges groups given in Keyward with the directory ones', async () => {
    const c = t.app.client();
    await enrolDirectoryPerson(c, 'bob', pw('bob'));
    const user = await t.storage.users.findByUsername('bob');
    expect(user).toMatchObject({ directoryId: expect.stringMatching(/^[0-9a-f-]{36}$/), directoryGroups: ['engineering'] });
    await t.storage.users.changeGroups(user!.id, ['on-call'], []);
    t.app.clock.advance(61_000);
    expect((await c.get('/api/authz')).headers.get('remote-groups')).toBe('engineering,on-call');
  });

  it('takes a password changed in the directory at the next sign-in, and keeps the keys', async () => {
    const c = t.app.client();
    const key = await enrolDirectoryPerson(c, 'carol', pw('carol'));
    t.slapd.setPassword('carol', 'carol-new-directory-pw');
    try {
      const old = await t.app.client().post('/api/session', { username: 'carol', password: pw('carol') });
      expect(old.status).toBe(401);
      await signInWithKey(t.app.client(), 'carol', 'carol-new-directory-pw', key);
    } finally {
      t.slapd.setPassword('carol', pw('carol'));
    }
  });

  it('makes one account record when a person\'s first sign-ins arrive together', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => t.app.client().post('/api/session', { username: 'bob', password: pw('bob') })));
    // Four: within the account-and-address budget, which reserves every attempt in flight.
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const record = await t.storage.users.findByUsername('bob');
    expect(await t.storage.users.findByDirectoryId(record!.directoryId!)).toEqual(record);
    expect((await t.storage.users.search('bob', 10)).map((u) => u.username)).toEqual(['bob']);
  });

  it('keeps the mail from the directory as a confirmed address', async () => {
    await enrolDirectoryPerson(t.app.client(), 'alice', pw('alice'));
    const user = await t.storage.users.findByUsername('alice');
    expect(user).toMatchObject({ email: 'alice@example.org' });
  });

  describe('with a first directory server that does not answer', () => {
    // A port nobody listens on, then the real directory: each connection fails over in order.
    const f = useDirectoryApp(factory, directory, (slapd) => ({ LDAP_URL: `ldap://127.0.0.1:1,${slapd.url}` }));

    it('signs people in through the next server in LDAP_URL', async () => {
      const res = await f.app.client().post('/api/session', { username: 'bob', password: pw('bob') });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ status: 'enroll_required' });
    });
  });

  describe('beside local accounts', () => {
    const a = useDirectoryApp(factory, directory, { ADMIN_USERNAMES: 'alice' });

    it('shows the source and the directory groups in the admin list and in `keyward users list`', async () => {
      const admin = a.app.client();
      await enrolDirectoryPerson(admin, 'alice', pw('alice'));
      expect((await a.app.client().post('/api/accounts', { username: 'breakglass', password: PASSWORD })).status).toBe(201);
      const res = await admin.get<Array<{ username: string; source: string; groups: string[]; directoryGroups: string[] }>>('/api/admin/users?query=');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const row = (name: string) => res.body.find((u) => u.username === name);
      expect(row('alice')).toMatchObject({ source: 'directory', password: 'directory', groups: [], directoryGroups: ['admins', 'engineering'] });
      expect(row('breakglass')).toMatchObject({ source: 'local', password: 'set', groups: [], directoryGroups: [] });

      const lines: string[] = [];
      const code = await accessCommands['users list']!.run([], { config: a.app.config, storage: a.storage, print: (l) => lines.push(l) });
      expect(code).toBe(0);
      expect(lines).toContain('alice\tdirectory\t-\tadmins,engineering');
      expect(lines).toContain('breakglass\tlocal\t-\t-');
    });
  });
});
