// The Keyward account record of a directory person: keyed by the directory's stable id (a
// rename keeps the keys), made at their first sign-in, and refreshed from the directory at
// each sign-in and identity check (name, display name, address, groups).
import type { Logger } from 'pino';
import { KeywardError } from '../errors.js';
import type { DirectoryAttributes, UserRecord, UserStore } from '../storage/port.js';
import type { DirectoryPerson, PasswordDirectory } from '../session/passwordDirectory.js';
import type { AccountService } from './createAccountService.js';
import { normalizeUsername } from './usernames.js';
import { usernameSkeleton } from './usernameSkeleton.js';

export interface DirectoryAccountsDeps {
  directory: PasswordDirectory;
  users: Pick<UserStore, 'findById' | 'findByDirectoryId' | 'syncFromDirectory'>;
  accounts: Pick<AccountService, 'register'>;
  logger: Logger;
}

function attributes(p: DirectoryPerson): DirectoryAttributes {
  const username = p.username.normalize('NFKC').trim();
  const usernameNormalized = normalizeUsername(username);
  return { username, usernameNormalized, usernameSkeleton: usernameSkeleton(usernameNormalized), displayName: p.displayName, email: p.email, groups: p.groups };
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function unchanged(user: UserRecord, from: DirectoryAttributes): boolean {
  return (
    user.username === from.username &&
    user.displayName === from.displayName &&
    user.email === from.email &&
    sameList(user.directoryGroups ?? [], [...new Set(from.groups)].sort())
  );
}

export function createDirectoryAccounts(deps: DirectoryAccountsDeps) {
  const { users, logger } = deps;

  async function sync(user: UserRecord, person: DirectoryPerson): Promise<UserRecord | null> {
    const from = attributes(person);
    // Most look-ups change nothing: no write then (every sign-in and identity minute asks).
    if (unchanged(user, from)) return user;
    if (!(await users.syncFromDirectory(user.id, from))) {
      logger.warn({ userId: user.id, directoryId: person.id, username: person.username }, 'directory: name or e-mail address held by another Keyward account; kept the old one');
    }
    return users.findById(user.id);
  }

  async function register(person: DirectoryPerson, email: string | null): Promise<UserRecord> {
    return deps.accounts.register({
      username: person.username,
      password: null,
      displayName: person.displayName,
      email,
      directory: { id: person.id, groups: person.groups },
    });
  }

  return {
    directory: deps.directory,

    /** The person's account record, made on first use; null when Keyward cannot hold them (logged). */
    async accountFor(person: DirectoryPerson): Promise<UserRecord | null> {
      const known = await users.findByDirectoryId(person.id);
      if (known) return sync(known, person);
      try {
        return await register(person, person.email);
      } catch (err) {
        if (!(err instanceof KeywardError)) throw err;
        // The same person's first two sign-ins at once: the other one made the record.
        const raced = await users.findByDirectoryId(person.id);
        if (raced) return sync(raced, person);
        if (err.code === 'email_taken') {
          logger.warn({ directoryId: person.id, username: person.username }, 'directory: the e-mail address belongs to another Keyward account; the record is made without it');
          return register(person, null);
        }
        logger.warn(
          { directoryId: person.id, username: person.username, reason: err.code },
          err.code === 'username_taken'
            ? 'directory: the name (or a look-alike) is held by another Keyward account; sign-in refused'
            : 'directory: the name breaks a Keyward username rule; sign-in refused',
        );
        return null;
      }
    },

    /**
     * A directory person's record brought up to date, or null when the directory no longer has
     * them (removed, or disabled: the user filter excludes them). Throws unavailable when the
     * directory does not answer. A local account is returned as it is.
     */
    async refresh(user: UserRecord): Promise<UserRecord | null> {
      if (!user.directoryId) return user;
      const person = await deps.directory.findById(user.directoryId);
      return person ? sync(user, person) : null;
    },
  };
}

export type DirectoryAccounts = ReturnType<typeof createDirectoryAccounts>;
