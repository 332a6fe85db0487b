// LDAP_NESTED_GROUPS: a person in a group that is itself a member of other groups has those
// too (OpenLDAP's groupOfNames, where no server-side transitive rule exists), found level by
// level against real slapd; a cycle of groups ends, and without the setting only direct
// memberships count.
import { describe, expect, it } from 'vitest';
import { embeddedFactory } from '../helpers/storageFactories.js';
import { enrolDirectoryPerson, useDirectoryApp, useSlapd } from '../helpers/directoryFixture.js';
import { BASE_DN, PEOPLE, personDn, type Slapd } from '../helpers/slapd.js';

const pw = (uid: string) => PEOPLE.find((p) => p.uid === uid)!.password;
const groupDn = (cn: string) => `cn=${cn},ou=groups,${BASE_DN}`;
const group = (cn: string, members: string[]) => `dn: ${groupDn(cn)}\nchangetype: add\nobjectClass: groupOfNames\ncn: ${cn}\n${members.map((m) => `member: ${m}`).join('\n')}\n`;

/** engineering ⊂ staff ⊂ everyone; a cycle loop-a ⊃ loop-b ⊃ loop-a that carol is in. */
function nest(slapd: Slapd) {
  slapd.modify(
    [
      group('staff', [groupDn('engineering')]),
      group('everyone', [groupDn('staff')]),
      group('loop-a', [personDn('carol')]),
      group('loop-b', [groupDn('loop-a')]),
      `dn: ${groupDn('loop-a')}\nchangetype: modify\nadd: member\nmember: ${groupDn('loop-b')}\n`,
    ].join('\n'),
  );
}

/** A directory with the nested groups above (made once) and an app on it with `env`. */
function useNestedDirectory(env: Record<string, string>) {
  const directory = useSlapd();
  let nested = false;
  return useDirectoryApp(embeddedFactory, directory, (slapd) => {
    if (!nested) nest(slapd);
    nested = true;
    return env;
  });
}

const groupsOf = async (c: ReturnType<ReturnType<typeof useDirectoryApp>['app']['client']>) => (await c.get<{ groups: string[] }>('/api/whoami')).body.groups;

describe('nested directory groups', () => {
  const withNesting = useNestedDirectory({ LDAP_NESTED_GROUPS: 'true' });

  it('gives a person the groups their groups are members of, at every level', async () => {
    const bob = withNesting.app.client();
    await enrolDirectoryPerson(bob, 'bob', pw('bob'));
    expect(await groupsOf(bob)).toEqual(['engineering', 'everyone', 'staff']);
    const alice = withNesting.app.client();
    await enrolDirectoryPerson(alice, 'alice', pw('alice'));
    expect(await groupsOf(alice)).toEqual(['admins', 'engineering', 'everyone', 'staff']);
  });

  it('ends a cycle of groups, each group once', async () => {
    const carol = withNesting.app.client();
    await enrolDirectoryPerson(carol, 'carol', pw('carol'));
    expect(await groupsOf(carol)).toEqual(['loop-a', 'loop-b']);
  });
});

describe('directory groups without LDAP_NESTED_GROUPS', () => {
  const direct = useNestedDirectory({});

  it('counts only the groups that name the person', async () => {
    const bob = direct.app.client();
    await enrolDirectoryPerson(bob, 'bob', pw('bob'));
    expect(await groupsOf(bob)).toEqual(['engineering']);
    const carol = direct.app.client();
    await enrolDirectoryPerson(carol, 'carol', pw('carol'));
    expect(await groupsOf(carol)).toEqual(['loop-a']);
  });
});
