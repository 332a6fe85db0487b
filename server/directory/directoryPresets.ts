// Defaults per directory product (LDAP_IMPLEMENTATION); every one can be overridden by its
// own LDAP_* setting. docs/directory.md gives a recipe for each.
export type DirectoryImplementation = 'custom' | 'activedirectory' | 'freeipa' | 'lldap';

export interface DirectoryPreset {
  userFilter: string;
  groupFilter: string;
  usernameAttribute: string;
  displayNameAttribute: string;
  mailAttribute: string;
  idAttribute: string;
  /** Groups from the person's memberOf values instead of a group search. */
  groupsFromMemberOf: boolean;
}

export const DIRECTORY_PRESETS: Record<DirectoryImplementation, DirectoryPreset> = {
  // OpenLDAP and any directory with the standard inetOrgPerson / groupOfNames schema.
  custom: {
    userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
    groupFilter: '(&(objectClass=groupOfNames)(member={dn}))',
    usernameAttribute: 'uid',
    displayNameAttribute: 'cn',
    mailAttribute: 'mail',
    idAttribute: 'entryUUID',
    groupsFromMemberOf: false,
  },
  // Bit 2 of userAccountControl (ACCOUNTDISABLE) tested with the bitwise-AND matching rule:
  // a disabled account is not found, so it cannot sign in and its sessions end.
  activedirectory: {
    userFilter: '(&(objectCategory=person)(objectClass=user)(sAMAccountName={username})(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
    groupFilter: '',
    usernameAttribute: 'sAMAccountName',
    displayNameAttribute: 'displayName',
    mailAttribute: 'mail',
    idAttribute: 'objectGUID',
    groupsFromMemberOf: true,
  },
  // nsAccountLock=TRUE is how FreeIPA disables a user (ipa user-disable).
  freeipa: {
    userFilter: '(&(objectClass=person)(uid={username})(!(nsAccountLock=TRUE)))',
    groupFilter: '(&(objectClass=groupOfNames)(member={dn}))',
    usernameAttribute: 'uid',
    displayNameAttribute: 'displayName',
    mailAttribute: 'mail',
    idAttribute: 'ipaUniqueID',
    groupsFromMemberOf: false,
  },
  lldap: {
    userFilter: '(&(objectClass=person)(uid={username}))',
    groupFilter: '(&(objectClass=groupOfUniqueNames)(member={dn}))',
    usernameAttribute: 'uid',
    displayNameAttribute: 'cn',
    mailAttribute: 'mail',
    idAttribute: 'entryUUID',
    groupsFromMemberOf: false,
  },
};
