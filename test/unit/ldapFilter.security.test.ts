// RFC 4515 escaping of what people type into LDAP filters, and the ids read back.
import { describe, expect, it } from 'vitest';
import { FilterParser } from 'ldapts';
import { byIdFilter, escapeFilterValue, fillFilter } from '../../server/directory/ldapFilter.js';
import { firstRdnValue, guidToUuid, uuidToGuid } from '../../server/directory/ldapEntry.js';

const TEMPLATE = '(&(objectClass=inetOrgPerson)(uid={username}))';

describe('LDAP filter values', () => {
  it.each([
    ['*', '\\2a'],
    [')(uid=*', '\\29\\28uid=\\2a'],
    ['al\\63e', 'al\\5c63e'],
    ['a\u0000b', 'a\\00b'],
    ['plain.name-1', 'plain.name-1'],
    ['zoë', 'zoë'],
  ])('escapes %j as %j', (value, escaped) => {
    expect(escapeFilterValue(value)).toBe(escaped);
  });

  it('keeps a hostile name one equality assertion on the username attribute (parsed by ldapts)', () => {
    for (const name of ['*', 'alice)(uid=*', 'alice)(|(uid=*', '*)(objectClass=*', 'a\\2a', 'x\u0000)(uid=*']) {
      const parsed = FilterParser.parseString(fillFilter(TEMPLATE, { username: name }));
      // An AND of exactly the template's two equality tests, the second with the literal name.
      expect(parsed.toString()).toBe(`(&(objectClass=inetOrgPerson)(uid=${escapeFilterValue(name)}))`);
      expect(parsed.matches({ objectClass: 'inetOrgPerson', uid: name })).toBe(true);
      expect(parsed.matches({ objectClass: 'inetOrgPerson', uid: 'alice' })).toBe(false);
    }
  });

  it('escapes binary ids byte by byte and looks a person up by id under the user filter', () => {
    expect(escapeFilterValue(Buffer.from([0x00, 0x2a, 0xff]))).toBe('\\00\\2a\\ff');
    expect(byIdFilter(TEMPLATE, 'entryUUID', 'a*b')).toBe('(&(&(objectClass=inetOrgPerson)(uid=*))(entryUUID=a\\2ab))');
  });
});

describe('values read from entries', () => {
  it('turns an objectGUID into the UUID Microsoft prints, and back', () => {
    // MS-DTYP 2.3.4.2: the first three fields little-endian.
    const bytes = Buffer.from('b9dc5ba4c2ebd94da0b1e1c8f2a3b4c5', 'hex');
    expect(guidToUuid(bytes)).toBe('a45bdcb9-ebc2-4dd9-a0b1-e1c8f2a3b4c5');
    expect(uuidToGuid('a45bdcb9-ebc2-4dd9-a0b1-e1c8f2a3b4c5').equals(bytes)).toBe(true);
  });

  it('reads a group name from the first RDN of a DN, unescaped', () => {
    expect(firstRdnValue('CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=com')).toBe('Domain Admins');
    expect(firstRdnValue('cn=Smith\\, Team,ou=groups,dc=example,dc=org')).toBe('Smith, Team');
    expect(firstRdnValue('cn=caf\\c3\\a9,ou=groups')).toBe('café');
  });
});
