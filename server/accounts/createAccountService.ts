import type { Clock, Random } from '../clock.js';
import { newId } from '../clock.js';
import { KeywardError } from '../errors.js';
import type { UserRecord, UserStore } from '../storage/port.js';
import type { PasswordHasher } from './passwordHasher.js';
import { normalizeUsername } from './usernames.js';

export interface AccountServiceDeps {
  users: UserStore;
  hasher: PasswordHasher;
  clock: Clock;
  random: Random;
  /** Normalized usernames that are administrators by configuration. */
  adminUsernames: string[];
}

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
}

/** Not a hash any password verifies against (the hasher answers false for it). */
export const UNUSABLE_PASSWORD = '!unset';

export function publicUser(u: UserRecord): PublicUser {
  return { id: u.id, username: u.username, displayName: u.displayName };
}

export function createAccountService(deps: AccountServiceDeps) {
  const { users, hasher, clock, random } = deps;
  return {
    /**
     * Creates a user; throws username_taken when the normalized name exists. A null password
     * (an account an administrator adds) stores UNUSABLE_PASSWORD until the enrolment link sets one.
     */
    async register(input: {
      username: string;
      password: string | null;
      displayName?: string | undefined;
      groups?: string[];
      email?: string | null;
    }): Promise<UserRecord> {
      const username = input.username.normalize('NFKC').trim();
      const usernameNormalized = normalizeUsername(username);
      const user: UserRecord = {
        id: newId(random),
        username,
        usernameNormalized,
        displayName: input.displayName?.trim() || username,
        passwordHash: input.password === null ? UNUSABLE_PASSWORD : await hasher.hash(input.password),
        roles: deps.adminUsernames.includes(usernameNormalized) ? ['admin'] : [],
        groups: [...new Set(input.groups ?? [])].sort(),
        email: input.email ?? null,
        createdAt: clock.now(),
      };
      // The unique index decides, so two simultaneous sign-ups cannot both win.
      if (!(await users.create(user))) throw new KeywardError('username_taken');
      return user;
    },

    /**
     * The user when the password matches, else null. Unknown usernames cost the same
     * Argon2id work as wrong passwords, so timing does not tell which one it was.
     */
    async checkPassword(input: { username: string; password: string }): Promise<UserRecord | null> {
      const user = await users.findByUsername(normalizeUsername(input.username));
      if (!user) {
        await hasher.verifyNothing(input.password);
        return null;
      }
      if (!(await hasher.verify(user.passwordHash, input.password))) return null;
      if (hasher.needsRehash(user.passwordHash)) {
        // Conditional on the old hash, so a concurrent password change is never overwritten.
        await users.updatePasswordHash(user.id, user.passwordHash, await hasher.hash(input.password));
      }
      return user;
    },

    findById: (id: string) => users.findById(id),
    findByUsername: (username: string) => users.findByUsername(normalizeUsername(username)),
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
