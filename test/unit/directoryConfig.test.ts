// LDAP_* settings: what a directory needs to start, what each preset fills in.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'keyward-config-'));
const LDAP = { LDAP_URL: 'ldap://dir1.example.org, ldaps://dir2.example.org:636', LDAP_BIND_DN: 'cn=keyward,dc=example,dc=org', LDAP_BIND_PASSWORD: 'pw', LDAP_USER_BASE: 'ou=people,dc=example,dc=org', LDAP_GROUP_BASE: 'ou=groups,dc=example,dc=org' };

describe('directory settings', () => {
  it('has no directory without LDAP_URL, and the usual account budget', () => {
    const c = loadConfig({ DATA_DIR: tmp() });
    expect(c.directory).toBeUndefined();
    expect(c.rateLimits.account).toEqual({ max: 100, windowSeconds: 86400 });
  });

  it('reads the OpenLDAP defaults, every URL for fail-over, and an account budget under a lock-out threshold', () => {
    const c = loadConfig({ DATA_DIR: tmp(), ...LDAP });
    expect(c.directory).toMatchObject({
      urls: ['ldap://dir1.example.org', 'ldaps://dir2.example.org:636'],
      userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
      groupFilter: '(&(objectClass=groupOfNames)(member={dn}))',
      usernameAttribute: 'uid',
      displayNameAttribute: 'cn',
      mailAttribute: 'mail',
      idAttribute: 'entryUUID',
      passwordChange: false,
    });
    expect(c.rateLimits.account).toEqual({ max: 5, windowSeconds: 900 });
  });

  it('fills Active Directory defaults: sAMAccountName, objectGUID, memberOf, disabled accounts left out', () => {
    const { LDAP_GROUP_BASE: _, ...noGroupBase } = LDAP;
    const c = loadConfig({ DATA_DIR: tmp(), ...noGroupBase, LDAP_IMPLEMENTATION: 'activedirectory' });
    expect(c.directory).toMatchObject({ usernameAttribute: 'sAMAccountName', idAttribute: 'objectGUID', groupsFromMemberOf: true, groupFilter: '' });
    expect(c.directory!.userFilter).toContain('(!(userAccountControl:1.2.840.113556.1.4.803:=2))');
  });

  it('follows nested groups only when asked, and only with a group search', () => {
    expect(loadConfig({ DATA_DIR: tmp(), ...LDAP }).directory?.nestedGroups).toBe(false);
    expect(loadConfig({ DATA_DIR: tmp(), ...LDAP, LDAP_NESTED_GROUPS: 'true' }).directory?.nestedGroups).toBe(true);
    const { LDAP_GROUP_BASE: _, ...noGroupBase } = LDAP;
    expect(() => loadConfig({ DATA_DIR: tmp(), ...noGroupBase, LDAP_IMPLEMENTATION: 'activedirectory', LDAP_NESTED_GROUPS: 'true' })).toThrow(/LDAP_NESTED_GROUPS: needs a group search/);
  });

  it('reads the service password from a file', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bind'), 'from-a-file\n');
    const { LDAP_BIND_PASSWORD: _, ...rest } = LDAP;
    expect(loadConfig({ DATA_DIR: dir, ...rest, LDAP_BIND_PASSWORD_FILE: join(dir, 'bind') }).directory?.bindPassword).toBe('from-a-file');
  });

  it('refuses to start without the service account or the bases, or with a filter missing its placeholder', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), LDAP_URL: 'ldap://dir.example.org' })).toThrow(/LDAP_BIND_DN, LDAP_BIND_PASSWORD, LDAP_USER_BASE: required with LDAP_URL/);
    expect(() => loadConfig({ DATA_DIR: tmp(), ...LDAP, LDAP_USER_FILTER: '(uid=alice)' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tmp(), ...LDAP, LDAP_URL: 'http://dir.example.org' })).toThrow(/LDAP_URL/);
  });
});
