// PasswordDirectory over LDAP (ldapts): people are searched with the service account, and a
// password is checked by binding as the person on a connection of its own pool. Keyward
// never sees nor stores a directory password hash.
import type { Client, Entry } from 'ldapts';
import { BusyError, InvalidCredentialsError, NoSuchObjectError, ResultCodeError, SizeLimitExceededError, UnavailableError } from 'ldapts';
import type { Logger } from 'pino';
import { KeywardError, unavailable } from '../errors.js';
import type { DirectoryPerson, PasswordDirectory } from '../session/passwordDirectory.js';
import type { DirectoryConfig } from './directoryConfig.js';
import { createLdapConnector } from './ldapConnect.js';
import { createLdapPool } from './ldapPool.js';
import { byIdFilter, fillFilter } from './ldapFilter.js';
import { first, firstBuffer, firstRdnValue, guidToUuid, uuidToGuid, values } from './ldapEntry.js';
import { PASSWORD_MODIFY_OID, passwordModifyRequest } from './passwordModify.js';

// Remote-Groups is a comma-separated header: a directory group whose name holds a comma or a
// control character cannot be passed on without being misread, so it is left out (logged).
const usableGroupName = (g: string) => /^[^,\p{Cc}]{1,256}$/u.test(g);

// Levels of groups within groups followed with LDAP_NESTED_GROUPS (the person's own groups are the first).
const MAX_NESTING = 10;

export function createLdapDirectory(config: DirectoryConfig, logger: Logger): PasswordDirectory {
  const connect = createLdapConnector(config);
  // Searches as the service account; binds as people on connections of their own. Those open
  // with a service bind too: ldapts connects lazily, and only an operation at open time lets
  // a server that does not answer be passed over for the next URL.
  const searches = createLdapPool({ size: config.poolSize, open: connect });
  const binds = createLdapPool({ size: config.poolSize, open: connect });
  const binaryId = config.idAttribute.toLowerCase() === 'objectguid';

  /** Runs `fn`; a directory that does not answer (or refuses the service account) is a 503. */
  async function answered<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof KeywardError) throw err;
      logger.warn({ err: { message: (err as Error).message, code: (err as ResultCodeError).code }, urls: config.urls }, `directory: ${what} failed; answering unavailable`);
      throw unavailable(err);
    }
  }

  async function searchOne(client: Client, filter: string): Promise<Entry | null> {
    const attributes = [config.usernameAttribute, config.displayNameAttribute, config.mailAttribute, config.idAttribute, ...(config.groupsFromMemberOf ? ['memberOf'] : [])];
    try {
      const { searchEntries } = await client.search(config.userBase, {
        scope: 'sub',
        filter,
        attributes,
        sizeLimit: 2,
        ...(binaryId && { explicitBufferAttributes: [config.idAttribute] }),
      });
      // Two people answering one name is a directory to fix, not a guess to make.
      return searchEntries.length === 1 ? searchEntries[0]! : null;
    } catch (err) {
      if (err instanceof SizeLimitExceededError || err instanceof NoSuchObjectError) return null;
      throw err;
    }
  }

  /** The groups whose members include any of `dns` (one search). */
  async function groupsWithMembers(client: Client, dns: string[], username: string): Promise<Entry[]> {
    const filters = dns.map((dn) => fillFilter(config.groupFilter, { dn, username }));
    const { searchEntries } = await client.search(config.groupBase, {
      scope: 'sub',
      filter: filters.length === 1 ? filters[0]! : `(|${filters.join('')})`,
      attributes: [config.groupNameAttribute],
    });
    return searchEntries;
  }

  async function groupNames(client: Client, entry: Entry, username: string): Promise<string[]> {
    if (config.groupsFromMemberOf) return values(entry, 'memberOf').map(firstRdnValue);
    const found = await groupsWithMembers(client, [entry.dn], username);
    if (config.nestedGroups) {
      // Level by level, one search per level; a group seen before is not followed again, so
      // a cycle (a ⊃ b ⊃ a) ends, and so does a chain longer than any directory needs.
      const seen = new Set(found.map((g) => g.dn.toLowerCase()));
      let level = found;
      for (let depth = 1; depth < MAX_NESTING && level.length; depth++) {
        const parents = (await groupsWithMembers(client, level.map((g) => g.dn), username)).filter((g) => !seen.has(g.dn.toLowerCase()));
        for (const g of parents) seen.add(g.dn.toLowerCase());
        found.push(...parents);
        level = parents;
      }
    }
    return found.flatMap((g) => values(g, config.groupNameAttribute));
  }

  async function groupsOf(client: Client, entry: Entry, username: string): Promise<string[]> {
    const names = [...new Set(await groupNames(client, entry, username))].sort();
    const unusable = names.filter((g) => !usableGroupName(g));
    if (unusable.length) logger.warn({ dn: entry.dn, groups: unusable }, 'directory: group names with a comma or control character are left out');
    return names.filter(usableGroupName);
  }

  async function person(client: Client, entry: Entry | null): Promise<DirectoryPerson | null> {
    if (!entry) return null;
    const username = first(entry, config.usernameAttribute);
    const rawId = binaryId ? firstBuffer(entry, config.idAttribute) : first(entry, config.idAttribute);
    if (!username || !rawId) {
      logger.warn({ dn: entry.dn, missing: !username ? config.usernameAttribute : config.idAttribute }, 'directory: entry without a name or stable id is ignored');
      return null;
    }
    const id = Buffer.isBuffer(rawId) ? guidToUuid(rawId) : rawId.toLowerCase();
    return {
      id,
      dn: entry.dn,
      username,
      displayName: first(entry, config.displayNameAttribute) ?? username,
      email: first(entry, config.mailAttribute)?.toLowerCase() ?? null,
      groups: await groupsOf(client, entry, username),
    };
  }

  return {
    findPerson: (username) =>
      answered('looking a person up', () => searches.use(async (c) => person(c, await searchOne(c, fillFilter(config.userFilter, { username }))))),

    findById: (id) =>
      answered('looking a person up again', () =>
        searches.use(async (c) => person(c, await searchOne(c, byIdFilter(config.userFilter, config.idAttribute, binaryId ? uuidToGuid(id) : id)))),
      ),

    async verifyPassword(p, password) {
      // An empty password is an unauthenticated bind (RFC 4513 5.1.2), which many directories
      // accept: it must never reach the directory as a "password".
      if (password.length === 0) return false;
      return answered('checking a password', () =>
        binds.use(async (c) => {
          try {
            await c.bind(p.dn, password);
            return true;
          } catch (err) {
            if (err instanceof InvalidCredentialsError) return false;
            throw err;
          }
        }),
      );
    },

    ...(config.passwordChange && {
      async changePassword(p: DirectoryPerson, current: string, next: string) {
        if (current.length === 0) return false;
        return answered('changing a password', () =>
          binds.use(async (c) => {
            try {
              await c.bind(p.dn, current);
            } catch (err) {
              if (err instanceof InvalidCredentialsError) return false;
              throw err;
            }
            try {
              await c.exop(PASSWORD_MODIFY_OID, passwordModifyRequest({ dn: p.dn, oldPassword: current, newPassword: next }));
            } catch (err) {
              // The directory answered (its password policy, its access rules): say so, not 503.
              if (err instanceof ResultCodeError && !(err instanceof BusyError || err instanceof UnavailableError)) {
                throw new KeywardError('invalid_request', `The directory refused the new password: ${err.message}`);
              }
              throw err;
            }
            return true;
          }),
        );
      },
    }),

    async close() {
      await Promise.all([searches.close(), binds.close()]);
    },
  };
}
