// What sign-in needs from an organisation's directory (server/directory/ implements it over
// LDAP). Every method throws KeywardError('unavailable') when the directory does not answer:
// never a wrong "no such person", which would sign people out or let a name be taken.

export interface DirectoryPerson {
  /** The directory's stable id (entryUUID, objectGUID as a UUID, ipaUniqueID): survives a rename. */
  id: string;
  /** Distinguished name, for the bind and the group search. */
  dn: string;
  username: string;
  displayName: string;
  /** A confirmed address: the directory vouches for it. */
  email: string | null;
  groups: string[];
}

export interface PasswordDirectory {
  /** The person a sign-in name belongs to (escaped into the filter), null when none or several. */
  findPerson(username: string): Promise<DirectoryPerson | null>;
  /** The person with this stable id, null when removed or disabled. */
  findById(id: string): Promise<DirectoryPerson | null>;
  /** True when the directory accepts `password` for the person (a bind as them). */
  verifyPassword(person: DirectoryPerson, password: string): Promise<boolean>;
  /**
   * Changes the password in the directory (LDAP Password Modify, RFC 3062) bound as the person;
   * false when `current` is wrong. Only offered when the operator allowed it.
   */
  changePassword?(person: DirectoryPerson, current: string, next: string): Promise<boolean>;
  close(): Promise<void>;
}
