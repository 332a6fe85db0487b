// The password step's question, "whose password is this?", for local accounts and, with a
// directory, for directory people: searched with the service account, then a bind as them.
// Runs inside the brute-force guard (createSessionService), so every bind is reserved first.
import type { Logger } from 'pino';
import type { AccountService } from '../accounts/createAccountService.js';
import type { DirectoryAccounts } from '../accounts/createDirectoryAccounts.js';
import { KeywardError } from '../errors.js';
import type { UserRecord, UserStore } from '../storage/port.js';

/** user: whose password it was; else userId names the account for the audit trail only. */
export type PasswordCheckResult = { user: UserRecord } | { user: null; userId: string | null };

export interface PasswordCheckDeps {
  accounts: Pick<AccountService, 'checkPassword' | 'findByUsername'>;
  users: Pick<UserStore, 'findByDirectoryId'>;
  directory: DirectoryAccounts | undefined;
  logger: Logger;
}

export function createPasswordCheck(deps: PasswordCheckDeps) {
  const { accounts, logger } = deps;
  const refused = (userId: string | null): PasswordCheckResult => ({ user: null, userId });

  async function local(input: { username: string; password: string }): Promise<PasswordCheckResult> {
    const user = await accounts.checkPassword(input);
    return user ? { user } : refused((await accounts.findByUsername(input.username))?.id ?? null);
  }

  return async function checkPassword(input: { username: string; password: string }): Promise<PasswordCheckResult> {
    const dir = deps.directory;
    if (!dir) return local(input);
    const held = await accounts.findByUsername(input.username);

    if (held && !held.directoryId) {
      // A local account (an administrator, a break-glass account): its own password first, so
      // it still signs in while the directory is down.
      const checked = await local(input);
      if (!checked.user) return checked;
      let twin = null;
      try {
        twin = await dir.directory.findPerson(input.username);
      } catch (err) {
        if (!(err instanceof KeywardError && err.code === 'unavailable')) throw err;
        logger.warn({ userId: held.id }, 'directory: not answering; local account signed in without checking the name is not also a directory person');
      }
      if (twin) {
        logger.warn(
          { userId: held.id, username: held.username, directoryDn: twin.dn },
          'sign-in refused: this name is both a local Keyward account and a directory person; rename or remove one of them',
        );
        return refused(held.id);
      }
      return checked;
    }

    // Throws unavailable (503) when the directory does not answer: never a "no such person".
    const person = await dir.directory.findPerson(input.username);
    if (!person) {
      // Removed or disabled in the directory (held is their old record), or nobody: the local
      // check runs anyway so an unknown name costs the same hashing as a wrong password.
      await accounts.checkPassword({ username: '\u0000no-such-local-account', password: input.password });
      return refused(held?.id ?? null);
    }
    const known = await deps.users.findByDirectoryId(person.id);
    if (!(await dir.directory.verifyPassword(person, input.password))) return refused(known?.id ?? null);
    const user = await dir.accountFor(person);
    return user ? { user } : refused(known?.id ?? null);
  };
}

export type PasswordCheck = ReturnType<typeof createPasswordCheck>;
