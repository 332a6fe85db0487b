// `keyward admin grant|revoke <username>`: the administrator role, in the database.
import { normalizeUsername } from '../accounts/usernames.js';
import type { Command } from '../cliCommand.js';

export function roleCommand(present: boolean): Command {
  return {
    async run(args, { storage, print }) {
      const [username] = args;
      if (!username || args.length !== 1) {
        print(`Usage: keyward admin ${present ? 'grant' : 'revoke'} <username>`);
        return 64;
      }
      if (!(await storage.users.setRole(normalizeUsername(username), 'admin', present))) {
        print(`No user named "${username}".`);
        return 1;
      }
      print(present ? `"${username}" is an administrator (admin actions still need a fresh second factor).` : `"${username}" is no longer an administrator.`);
      return 0;
    },
  };
}
