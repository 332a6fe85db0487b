// Directory people under attack and under outage: names that try to rewrite the LDAP filter,
// a directory that stops answering, a person removed from it, a name held twice, StartTLS.
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { enrolDirectoryPerson, useDirectoryApp, useSlapd } from '../helpers/directoryFixture.js';
import { PEOPLE, personDn } from '../helpers/slapd.js';
import { PASSWORD } from '../helpers/appFixture.js';
import { assertWith } from '../helpers/webauthnFlows.js';
import { createAccountService } from '../../server/accounts/createAccountService.js';
import { createPasswordHasher } from '../../server/accounts/passwordHasher.js';
import { cryptoRandom } from '../../server/clock.js';

const pw = (uid: string) => PEOPLE.find((p) => p.uid === uid)!.password;

describe.each(storageFactories)('directory people under attack ($name)', (factory) => {
  const directory = useSlapd();
  const t = useDirectoryApp(factory, directory);

  // Each would find alice, and sign in with her password, if the name reached the filter as
  // filter syntax: `(uid=al*)`, `(uid=alice)(uid=alice)`, `(uid=ali\63e)` is alice.
  it.each(['al*', '*', 'alice)(uid=alice', ')(uid=*', 'alice)(|(uid=*', 'ali\\63e', 'alice\\', 'alice\u0000', 'alice\u0000)(uid=*'])(
    'refuses the name %j with the directory password of the person it aims at',
    async (username) => {
      const res = await t.app.client().post('/api/session', { username, password: pw('alice') });
      expect([400, 401]).toContain(res.status);
      expect(res.body).toMatchObject({ error: res.status === 400 ? 'invalid_request' : 'invalid_credentials' });
      expect(await t.storage.users.findByUsername('alice')).toBeNull();
    },
  );

  it('answers 503 unavailable, never 401 or 500, while the directory is down, and existing sessions keep passing forward-auth', async () => {
    const c = t.app.client();
    await enrolDirectoryPerson(c, 'alice', pw('alice'));
    expect((await c.get('/api/authz')).status).toBe(200);
    await t.slapd.stop();
    try {
      const signIn = await t.app.client().post('/api/session', { username: 'alice', password: pw('alice') });
      expect(signIn.status).toBe(503);
      expect(signIn.body).toMatchObject({ error: 'unavailable' });
      // Past the identity cache's minute, the directory is asked again and does not answer:
      // the copy stored at the last look-up stands.
      t.app.clock.advance(61_000);
      const res = await c.get('/api/authz');
      expect(res.status).toBe(200);
      expect(res.headers.get('remote-groups')).toBe('admins,engineering');
      expect(t.logs.some((l) => String(l['msg']).includes('directory: not answering'))).toBe(true);
    } finally {
      await t.slapd.start();
    }
    // The pool opens fresh connections once it is back.
    const again = await t.app.client().post('/api/session', { username: 'alice', password: pw('alice') });
    expect(again.body).toMatchObject({ status: 'mfa_required' });
  });

  it('refuses a person removed from the directory at sign-in, and their session at the first check after the cache minute', async () => {
    const c = t.app.client();
    await enrolDirectoryPerson(c, 'carol', pw('carol'));
    t.slapd.remove('carol');
    try {
      const signIn = await t.app.client().post('/api/session', { username: 'carol', password: pw('carol') });
      expect(signIn.status).toBe(401);
      expect(signIn.body).toMatchObject({ error: 'invalid_credentials' });
      t.app.clock.advance(61_000);
      expect((await c.get('/api/authz')).status).toBe(401);
      // The keys stay stored until an administrator removes the record.
      const record = await t.storage.users.findByUsername('carol');
      expect(record).not.toBeNull();
      expect(await t.storage.credentials.listByUser(record!.id)).toHaveLength(1);
    } finally {
      t.slapd.modify(`dn: ${personDn('carol')}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: carol\ncn: Carol Danvers\nsn: Danvers\nuserPassword: ${pw('carol')}\n`);
    }
  });

  it('refuses a name that is both a local account and a directory person, with a log line saying so', async () => {
    // Made before the directory was connected (the store is shared; sign-up now refuses it).
    const plain = createAccountService({ users: t.storage.users, noticeAddresses: t.storage.noticeAddresses, hasher: createPasswordHasher(), clock: t.app.clock, random: cryptoRandom });
    await plain.register({ username: 'bob', password: PASSWORD });
    for (const password of [PASSWORD, pw('bob')]) {
      const res = await t.app.client().post('/api/session', { username: 'bob', password });
      expect(res.status).toBe(401);
    }
    expect(t.logs.some((l) => String(l['msg']).includes('both a local Keyward account and a directory person'))).toBe(true);
  });

  it('refuses a sign-up under a directory person\'s name, and answers 503 for any sign-up while the directory is down', async () => {
    const res = await t.app.client().post('/api/accounts', { username: 'bob', password: PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'username_taken' });
    await t.slapd.stop();
    try {
      expect((await t.app.client().post('/api/accounts', { username: 'dave', password: PASSWORD })).status).toBe(503);
    } finally {
      await t.slapd.start();
    }
    expect((await t.app.client().post('/api/accounts', { username: 'dave', password: PASSWORD })).status).toBe(201);
  });

  it('lets a local account sign in while the directory is down (break-glass)', async () => {
    expect((await t.app.client().post('/api/accounts', { username: 'root-admin', password: PASSWORD })).status).toBe(201);
    await t.slapd.stop();
    try {
      const res = await t.app.client().post('/api/session', { username: 'root-admin', password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'enroll_required' });
    } finally {
      await t.slapd.start();
    }
  });
});

describe.each(storageFactories)('directory people disabled or renamed ($name)', (factory) => {
  const directory = useSlapd();
  // How an operator leaves disabled people out on OpenLDAP: a condition in the user filter.
  const t = useDirectoryApp(factory, directory, { LDAP_USER_FILTER: '(&(objectClass=inetOrgPerson)(uid={username})(!(description=disabled)))' });

  it('refuses a person disabled in the directory at sign-in, and their session after the cache minute', async () => {
    const c = t.app.client();
    await enrolDirectoryPerson(c, 'bob', pw('bob'));
    expect((await c.get('/api/authz')).status).toBe(200);
    t.slapd.modify(`dn: ${personDn('bob')}\nchangetype: modify\nadd: description\ndescription: disabled\n`);
    try {
      expect((await t.app.client().post('/api/session', { username: 'bob', password: pw('bob') })).status).toBe(401);
      // Within the minute the identity read before stands (the documented window); after it,
      // the directory is asked again.
      expect((await c.get('/api/authz')).status).toBe(200);
      t.app.clock.advance(61_000);
      expect((await c.get('/api/authz')).status).toBe(401);
    } finally {
      t.slapd.modify(`dn: ${personDn('bob')}\nchangetype: modify\ndelete: description\n`);
    }
  });

  it('keeps a renamed person\'s keys: the record follows the directory\'s stable id', async () => {
    const c = t.app.client();
    const key = await enrolDirectoryPerson(c, 'carol', pw('carol'));
    t.slapd.modify(`dn: ${personDn('carol')}\nchangetype: modrdn\nnewrdn: uid=carla\ndeleteoldrdn: 1\n`);
    try {
      expect((await t.app.client().post('/api/session', { username: 'carol', password: pw('carol') })).status).toBe(401);
      const d = t.app.client();
      const step = await d.post('/api/session', { username: 'carla', password: pw('carol') });
      expect(step.body).toMatchObject({ status: 'mfa_required', factors: expect.arrayContaining(['webauthn']) });
      expect((await assertWith(d, key)).status).toBe(200);
      expect((await d.get('/api/authz')).headers.get('remote-user')).toBe('carla');
    } finally {
      t.slapd.modify(`dn: uid=carla,ou=people,dc=example,dc=org\nchangetype: modrdn\nnewrdn: uid=carol\ndeleteoldrdn: 1\n`);
    }
  });
});

describe.each(storageFactories)('directory lock-out through Keyward ($name)', (factory) => {
  const directory = useSlapd();
  const t = useDirectoryApp(factory, directory, { TRUST_PROXY: 'true' });

  it('stops strangers from many addresses after 5 wrong passwords, before the directory sees a sixth bind', async () => {
    for (let i = 1; i <= 5; i++) {
      const c = t.app.client();
      c.headers['X-Forwarded-For'] = `203.0.113.${i}`;
      expect((await c.post('/api/session', { username: 'bob', password: `guess-${i}` })).status).toBe(401);
    }
    // The account-wide budget (5 in 15 minutes with a directory) is spent: a sixth address is
    // refused before any bind, even with the right password, so the directory counts 5 failures.
    const sixth = t.app.client();
    sixth.headers['X-Forwarded-For'] = '203.0.113.6';
    const res = await sixth.post('/api/session', { username: 'bob', password: pw('bob') });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe.each(storageFactories)('a directory reached over StartTLS ($name)', (factory) => {
  const directory = useSlapd({ tls: true });

  describe('with the CA that signed its certificate', () => {
    const t = useDirectoryApp(factory, directory);
    it('signs a directory person in (the directory refuses binds without TLS)', async () => {
      const res = await t.app.client().post('/api/session', { username: 'bob', password: pw('bob') });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ status: 'enroll_required' });
    });
  });

  describe('without that CA (only the system ones)', () => {
    const t = useDirectoryApp(factory, directory, { LDAP_TLS_CA_FILE: '' });
    it('answers 503 rather than talk to a directory it cannot verify', async () => {
      const res = await t.app.client().post('/api/session', { username: 'bob', password: pw('bob') });
      expect(res.status).toBe(503);
    });
  });

  describe('with StartTLS off', () => {
    const t = useDirectoryApp(factory, directory, { LDAP_START_TLS: 'false' });
    it('answers 503: the directory refuses a service bind in the clear', async () => {
      const res = await t.app.client().post('/api/session', { username: 'bob', password: pw('bob') });
      expect(res.status).toBe(503);
    });
  });
});
