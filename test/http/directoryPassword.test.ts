// A directory person's password stays the directory's: changed there through Keyward (LDAP
// Password Modify, RFC 3062) when the operator allows it, else refused with their link.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { storageFactories } from '../helpers/storageFactories.js';
import { enrolDirectoryPerson, useDirectoryApp, useSlapd } from '../helpers/directoryFixture.js';
import { PEOPLE, personDn } from '../helpers/slapd.js';

const pw = (uid: string) => PEOPLE.find((p) => p.uid === uid)!.password;

/** Whether the directory itself (ldapwhoami, not Keyward) accepts the password. */
function directoryAccepts(url: string, uid: string, password: string): boolean {
  try {
    execFileSync('/usr/bin/ldapwhoami', ['-x', '-H', url, '-D', personDn(uid), '-w', password], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe.each(storageFactories)('directory passwords ($name)', (factory) => {
  const directory = useSlapd();

  describe('with LDAP_PASSWORD_CHANGE=true', () => {
    const t = useDirectoryApp(factory, directory, { LDAP_PASSWORD_CHANGE: 'true' });

    it('changes the password in the directory, and refuses a wrong current one', async () => {
      const c = t.app.client();
      await enrolDirectoryPerson(c, 'bob', pw('bob'));
      const wrong = await c.post('/api/me/password', { currentPassword: 'not-bobs-password', newPassword: 'bob-changed-in-keyward' });
      expect(wrong.status).toBe(401);
      expect(directoryAccepts(t.slapd.url, 'bob', pw('bob'))).toBe(true);
      try {
        const res = await c.post('/api/me/password', { currentPassword: pw('bob'), newPassword: 'bob-changed-in-keyward' });
        expect(res.status, JSON.stringify(res.body)).toBe(204);
        expect(directoryAccepts(t.slapd.url, 'bob', 'bob-changed-in-keyward')).toBe(true);
        expect(directoryAccepts(t.slapd.url, 'bob', pw('bob'))).toBe(false);
      } finally {
        t.slapd.setPassword('bob', pw('bob'));
      }
    });
  });

  describe('without it', () => {
    const t = useDirectoryApp(factory, directory, { LDAP_PASSWORD_HELP_URL: 'https://id.example.org/password' });

    it('refuses a password change with the link the operator set, and the directory keeps the password', async () => {
      const c = t.app.client();
      await enrolDirectoryPerson(c, 'bob', pw('bob'));
      const res = await c.post('/api/me/password', { currentPassword: pw('bob'), newPassword: 'bob-changed-in-keyward' });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'forbidden', message: expect.stringContaining('https://id.example.org/password') });
      expect(directoryAccepts(t.slapd.url, 'bob', pw('bob'))).toBe(true);
    });

    it('refuses to switch a directory password off (with the same link), or to set one as if the account had none', async () => {
      const c = t.app.client();
      await enrolDirectoryPerson(c, 'bob', pw('bob'));
      const off = await c.delete('/api/me/password');
      expect(off.status).toBe(403);
      expect(off.body).toMatchObject({ error: 'forbidden', message: expect.stringContaining('https://id.example.org/password') });
      // Their Keyward record holds no password, but they have one: the directory's, asked for.
      const set = await c.post('/api/me/password', { newPassword: 'bob-set-in-keyward' });
      expect(set.status).toBe(400);
      expect(set.body).toMatchObject({ error: 'invalid_request', message: 'currentPassword: required' });
      expect(directoryAccepts(t.slapd.url, 'bob', pw('bob'))).toBe(true);
    });
  });
});
