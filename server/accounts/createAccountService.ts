import type { Clock, Random } from '../clock.js';
import { newId } from '../clock.js';
import { KeywardError } from '../errors.js';
import type { NoticeAddressStore, UserRecord, UserStore } from '../storage/port.js';
import type { PasswordHasher } from './passwordHasher.js';
import { normalizeUsername, usernameProblem } from './usernames.js';
import { usernameSkeleton } from './usernameSkeleton.js';
import type { PasswordDirectory } from '../session/passwordDirectory.js';

export interface AccountServiceDeps {
  users: UserStore;
  /** Confirmed notice addresses: an address someone proved is theirs is held too. */
  noticeAddresses: Pick<NoticeAddressStore, 'findConfirmedByAddress'>;
  hasher: PasswordHasher;
  clock: Clock;
  random: Random;
  /**
   * The organisation's directory, when there is one: a local account may not take a name a
   * directory person has (the apps behind Keyward would take one for the other).
   */
  directory?: PasswordDirectory | undefined;
  /** Where directory people change their password when Keyward may not (LDAP_PASSWORD_HELP_URL). */
  passwordHelpUrl?: string | undefined;
}

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
}

/** Not a hash any password verifies against (the hasher answers false for it). */
export const UNUSABLE_PASSWORD = '!unset';

/** Keyward's groups and the directory's, as access rules, headers and claims see them. */
export function allGroups(u: Pick<UserRecord, 'groups' | 'directoryGroups'>): string[] {
  return [...new Set([...u.groups, ...(u.directoryGroups ?? [])])].sort();
}

/** Why Keyward does not change a directory person's password, and where they can. */
export function directoryPasswordRefusal(helpUrl: string | undefined): KeywardError {
  const where = helpUrl ? ` Change it at ${helpUrl}` : ' Ask your administrator how to change it.';
  return new KeywardError('forbidden', `Your password is kept in your organisation's directory, not by this service.${where}`, helpUrl ? { passwordHelpUrl: helpUrl } : undefined);
}

/** Where a person's password (and part of their groups) lives. */
export const accountSource = (u: Pick<UserRecord, 'directoryId'>): 'local' | 'directory' => (u.directoryId ? 'directory' : 'local');

/**
 * A passkey-only account: no password by the person's choice (the hasher answers false for it
 * too). Apart from UNUSABLE_PASSWORD, which an administrator's reset sets and only an enrolment
 * link clears, the person may set a password over this one from their settings.
 */
export const NO_PASSWORD = '!passkey-only';

/** Whether a password can sign the account in (not passkey-only, not reset by an administrator). */
export const hasPassword = (u: Pick<UserRecord, 'passwordHash'>): boolean => u.passwordHash !== NO_PASSWORD && u.passwordHash !== UNUSABLE_PASSWORD;

/**
 * What stands in for the password, as the admin list shows it: 'set'; 'none' (passkey-only, the
 * person's choice); 'reset' (an administrator's reset, until the enrolment link sets a new one);
 * 'directory' (the directory checks it, Keyward holds none).
 */
export function passwordState(u: Pick<UserRecord, 'passwordHash' | 'directoryId'>): 'set' | 'none' | 'reset' | 'directory' {
  if (u.directoryId) return 'directory';
  if (u.passwordHash === NO_PASSWORD) return 'none';
  return u.passwordHash === UNUSABLE_PASSWORD ? 'reset' : 'set';
}

export function publicUser(u: UserRecord): PublicUser {
  return { id: u.id, username: u.username, displayName: u.displayName };
}

export function createAccountService(deps: AccountServiceDeps) {
  const { users, hasher, clock, random } = deps;

  /**
   * One address, one account: notices (and password resets) go to an address, so two accounts
   * sharing one would each get the other's. Held means another account's e-mail or its
   * confirmed notice address, without regard to case.
   */
  async function assertAddressFree(address: string | null | undefined): Promise<void> {
    if (!address) return;
    if ((await users.findByEmail(address)) || (await deps.noticeAddresses.findConfirmedByAddress(address))) throw new KeywardError('email_taken');
  }

  /** A directory person's password lives in the directory: changed there (RFC 3062) or not at all. */
  async function changeInDirectory(directoryId: string, current: string, next: string): Promise<{ ok: boolean }> {
    const dir = deps.directory;
    if (!dir?.changePassword) throw directoryPasswordRefusal(deps.passwordHelpUrl);
    const person = await dir.findById(directoryId);
    if (!person) throw new KeywardError('forbidden', 'Your account is no longer in the directory.');
    return { ok: await dir.changePassword(person, current, next) };
  }

  return {
    assertAddressFree,

    /**
     * Creates a user; throws invalid_request when the name breaks a rule (usernameProblem) and
     * username_taken when the normalized name or a look-alike exists, email_taken when another
     * account holds the address (assertAddressFree). A
     * null password (an account an administrator adds) stores UNUSABLE_PASSWORD until the
     * enrolment link sets one; `passkeyOnly` stores NO_PASSWORD (the caller holds the passkey,
     * registered under `id`, the id the passkey's user handle names).
     */
    async register(input: {
      id?: string;
      passkeyOnly?: boolean;
      username: string;
      password: string | null;
      displayName?: string | undefined;
      groups?: string[];
      email?: string | null;
      /** A directory person's record (server/accounts/createDirectoryAccounts.ts). */
      directory?: { id: string; groups: string[] };
    }): Promise<UserRecord> {
      const username = input.username.normalize('NFKC').trim();
      // The HTTP schemas say the same first; this holds for every caller (the CLI has no schema).
      const problem = usernameProblem(username);
      if (problem) throw new KeywardError('invalid_request', `username: ${problem}`, { fields: [{ path: 'username', message: problem }] });
      const usernameNormalized = normalizeUsername(username);
      // Unavailable (503) while the directory does not answer: a name is never given out unchecked.
      if (!input.directory && deps.directory && (await deps.directory.findPerson(username))) throw new KeywardError('username_taken');
      await assertAddressFree(input.email);
      const user: UserRecord = {
        id: input.id ?? newId(random),
        username,
        usernameNormalized,
        usernameSkeleton: usernameSkeleton(usernameNormalized),
        displayName: input.displayName?.trim() || username,
        passwordHash: input.password !== null ? await hasher.hash(input.password.normalize('NFC')) : input.passkeyOnly ? NO_PASSWORD : UNUSABLE_PASSWORD,
        // ADMIN_USERNAMES is looked at per request (app.ts isAdmin), never written here: removing
        // a name from it takes the role away, and no sign-up inherits it for good.
        roles: [],
        groups: [...new Set(input.groups ?? [])].sort(),
        email: input.email ?? null,
        createdAt: clock.now(),
        // Stored once the person uses the pages signed in (server/http/rememberLanguage.ts).
        language: null,
        ...(input.directory && { directoryId: input.directory.id, directoryGroups: [...new Set(input.directory.groups)].sort() }),
      };
      // The unique indexes decide (name, look-alike skeleton, address), so two simultaneous
      // sign-ups of "alice" and Cyrillic "аlice", or two bound to one address, cannot both win.
      if (!(await users.create(user))) {
        const addressHeld = user.email !== null && (await users.findByEmail(user.email)) !== null;
        throw new KeywardError(addressHeld ? 'email_taken' : 'username_taken');
      }
      return user;
    },

    /**
     * The user when the password matches, else null. Unknown usernames cost the same
     * Argon2id work as wrong passwords, so timing does not tell which one it was.
     */
    async checkPassword(input: { username: string; password: string }): Promise<UserRecord | null> {
      const user = await users.findByUsername(normalizeUsername(input.username));
      const nfc = input.password.normalize('NFC');
      // A hash made before passwords were normalised may hold another form: that form is
      // tried second, and unknown users pay for the same number of tries.
      const forms = nfc === input.password ? [nfc] : [nfc, input.password];
      if (!user) {
        for (const form of forms) await hasher.verifyNothing(form);
        return null;
      }
      let matched = -1;
      for (let i = 0; i < forms.length && matched < 0; i++) if (await hasher.verify(user.passwordHash, forms[i]!)) matched = i;
      if (matched < 0) return null;
      if (matched > 0 || hasher.needsRehash(user.passwordHash)) {
        // Conditional on the old hash, so a concurrent password change is never overwritten.
        await users.updatePasswordHash(user.id, user.passwordHash, await hasher.hash(nfc));
      }
      return user;
    },

    /**
     * A new password for `user` when `current` is theirs ({ok: false} otherwise, counted as a
     * failed guess by the caller). Conditional on the hash that was checked, so of two
     * concurrent changes only one lands.
     */
    async changePassword(user: UserRecord, current: string, next: string): Promise<{ ok: boolean }> {
      if (user.directoryId) return changeInDirectory(user.directoryId, current, next);
      if (!(await hasher.verify(user.passwordHash, current))) return { ok: false };
      if (!(await users.updatePasswordHash(user.id, user.passwordHash, await hasher.hash(next)))) throw new KeywardError('invalid_credentials', 'The password changed meanwhile: try again.');
      return { ok: true };
    },

    /**
     * A password where the account has none (passkey-only): conditional on NO_PASSWORD, so it
     * never replaces a password nor undoes an administrator's reset. False when it had one.
     */
    /** Throws the directory's refusal (with the operator's link) for a directory person. */
    refuseIfDirectory(user: Pick<UserRecord, 'directoryId'>): void {
      if (user.directoryId) throw directoryPasswordRefusal(deps.passwordHelpUrl);
    },

    async setPassword(user: UserRecord, next: string): Promise<boolean> {
      if (user.directoryId) throw directoryPasswordRefusal(deps.passwordHelpUrl);
      if (user.passwordHash !== NO_PASSWORD) return false;
      return users.updatePasswordHash(user.id, NO_PASSWORD, await hasher.hash(next.normalize('NFC')));
    },

    /** Passkey-only from now on: conditional on the hash that was read (a concurrent change wins). */
    removePassword(user: UserRecord): Promise<boolean> {
      // A directory person's password is the directory's: not Keyward's to switch off.
      if (user.directoryId) throw directoryPasswordRefusal(deps.passwordHelpUrl);
      return hasPassword(user) ? users.updatePasswordHash(user.id, user.passwordHash, NO_PASSWORD) : Promise.resolve(false);
    },

    /** Undoes removePassword (conditional on NO_PASSWORD) when the account turned out to have no key left. */
    restorePassword: (userId: string, passwordHash: string): Promise<boolean> => users.updatePasswordHash(userId, NO_PASSWORD, passwordHash),

    findById: (id: string) => users.findById(id),
    findByUsername: (username: string) => users.findByUsername(normalizeUsername(username)),
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
