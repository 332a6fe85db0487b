// `keyward users add`, `keyward users reset`, `keyward users list`, `keyward users groups` and `keyward invite`:
// letting people in from the command line, with the same use cases (and audit events) as the admin API.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { cryptoRandom, systemClock } from '../clock.js';
import type { Storage } from '../storage/port.js';
import { createAuditLog } from '../audit/createAuditLog.js';
import { accountSource, createAccountService } from '../accounts/createAccountService.js';
import { createPasswordHasher } from '../accounts/passwordHasher.js';
import { normalizeUsername } from '../accounts/usernames.js';
import { KeywardError } from '../errors.js';
import { CLI_ISSUER, createInvitationService } from './createInvitationService.js';
import { GROUP_PATTERN } from './linkTokens.js';
import { resetAccount } from '../admin/resetAccount.js';
import type { CliContext, Command } from '../cliCommand.js';



const cliAudit = (storage: Storage) => createAuditLog({ store: storage.audit, clock: systemClock, random: cryptoRandom, logger: pino({ level: 'warn' }) });

function invitationService({ config, storage }: CliContext) {
  const hasher = createPasswordHasher();
  const audit = cliAudit(storage);
  const accounts = createAccountService({ users: storage.users, noticeAddresses: storage.noticeAddresses, hasher, clock: systemClock, random: cryptoRandom });
  return createInvitationService({
    invitations: storage.invitations,
    users: storage.users,
    accounts,
    hasher,
    audit,
    clock: systemClock,
    random: cryptoRandom,
    origin: config.origins[0]!,
    defaultTtlSeconds: config.access.invitationTtlSeconds,
    invitationsAccepted: config.access.signup !== 'closed',
  });
}

/** Parses options; prints usage and returns null when they are wrong. */
function options(args: string[], usage: string, print: (l: string) => void, opts: Record<string, { type: 'string'; multiple?: boolean }>) {
  try {
    const parsed = parseArgs({ args, options: opts, allowPositionals: true, strict: true });
    const groups = Object.entries(parsed.values).flatMap(([k, v]) => (k === 'email' ? [] : [v].flat()));
    if (groups.some((g) => typeof g !== 'string' || !GROUP_PATTERN.test(g))) throw new Error('group names are 1 to 64 letters, digits or . _ : @ -');
    return parsed;
  } catch (err) {
    print(`${err instanceof Error ? err.message : String(err)}\nUsage: ${usage}`);
    return null;
  }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const accessCommands: Record<string, Command> = {
  'users add': {
    async run(args, cli) {
      const usage = 'keyward users add <username> [--email <address>] [--group <g>]...';
      const p = options(args, usage, cli.print, { email: { type: 'string' }, group: { type: 'string', multiple: true } });
      if (!p || p.positionals.length !== 1) return (p && cli.print(`Usage: ${usage}`), 64);
      const email = typeof p.values.email === 'string' ? p.values.email : undefined;
      try {
        const r = await invitationService(cli).addUser(CLI_ISSUER, { username: p.positionals[0]!, groups: strings(p.values.group), email });
        // What the link's page offers follows PASSWORDS (a passkey instead, or only a passkey).
        const finish = { optional: 'to set a password and a second factor, or a passkey instead', required: 'to set a password and a second factor', off: 'to create their passkey' }[cli.config.access.passwords];
        cli.print(`Added "${r.user.username}". Send them this link (single use, until ${r.expiresAt}) ${finish}:`);
        cli.print(r.url);
        return 0;
      } catch (err) {
        if (err instanceof KeywardError && err.code === 'username_taken') return (cli.print(`"${p.positionals[0]}" is taken.`), 1);
        if (err instanceof KeywardError && err.code === 'email_taken') return (cli.print(`Not added: ${email} belongs to another account already (one address, one account).`), 1);
        if (err instanceof KeywardError && err.code === 'invalid_request') return (cli.print(`Not added: ${err.message}`), 65);
        throw err;
      }
    },
  },
  'users reset': {
    async run(args, cli) {
      const usage = 'keyward users reset <username>';
      if (args.length !== 1) return (cli.print(`Usage: ${usage}`), 64);
      const user = await cli.storage.users.findByUsername(normalizeUsername(args[0]!));
      if (!user) return (cli.print(`No user named "${args[0]}".`), 1);
      const invitations = invitationService(cli);
      const r = await resetAccount({ storage: cli.storage, audit: cliAudit(cli.storage), enrolmentLink: invitations.enrolmentLink }, CLI_ISSUER, user);
      cli.print(`Reset "${user.username}": ${r.removed.keys} keys, ${r.removed.authenticators} authenticator apps and ${r.removed.sessions} sessions removed; the password no longer works.`);
      cli.print(`Hand them this link yourself (single use, until ${r.expiresAt}) to set a new password and a second factor:`);
      cli.print(r.url);
      return 0;
    },
  },
  'users list': {
    async run(args, { storage, print }) {
      const usage = 'keyward users list [prefix]';
      const p = options(args, usage, print, {});
      if (!p || p.positionals.length > 1) return (p && print(`Usage: ${usage}`), 64);
      const users = await storage.users.search(normalizeUsername(p.positionals[0] ?? ''), 1000);
      print(['username', 'source', 'keyward groups', 'directory groups'].join('\t'));
      for (const u of users) print([u.username, accountSource(u), u.groups.join(',') || '-', u.directoryGroups?.join(',') || '-'].join('\t'));
      return 0;
    },
  },
  'users groups': {
    async run(args, { storage, print }) {
      const usage = 'keyward users groups <username> [--add <g>]... [--remove <g>]...';
      const p = options(args, usage, print, { add: { type: 'string', multiple: true }, remove: { type: 'string', multiple: true } });
      if (!p || p.positionals.length !== 1) return (p && print(`Usage: ${usage}`), 64);
      const user = await storage.users.findByUsername(normalizeUsername(p.positionals[0]!));
      const after = user && (await storage.users.changeGroups(user.id, strings(p.values.add), strings(p.values.remove)));
      if (!after) return (print(`No user named "${p.positionals[0]}".`), 1);
      const details = { actorId: null, username: after.username, added: strings(p.values.add), removed: strings(p.values.remove), groups: after.groups };
      await cliAudit(storage).record('admin.groups_changed', 'success', { ...CLI_ISSUER, userId: after.id }, details);
      print(`"${after.username}" is in: ${after.groups.join(', ') || '(no groups)'}`);
      return 0;
    },
  },
  invite: {
    async run(args, cli) {
      const usage = 'keyward invite [--email <address>] [--group <g>]...';
      const p = options(args, usage, cli.print, { email: { type: 'string' }, group: { type: 'string', multiple: true } });
      if (!p || p.positionals.length) return (p && cli.print(`Usage: ${usage}`), 64);
      const email = typeof p.values.email === 'string' ? p.values.email : undefined;
      if (cli.config.access.signup === 'closed') return (cli.print('SIGNUP=closed: invitations cannot be redeemed. Use `keyward users add`, or set SIGNUP=invite.'), 1);
      let r;
      try {
        r = await invitationService(cli).invite(CLI_ISSUER, { email, groups: strings(p.values.group) });
      } catch (err) {
        if (err instanceof KeywardError && err.code === 'email_taken') return (cli.print(`No invitation: ${email} belongs to another account already (one address, one account).`), 1);
        throw err;
      }
      cli.print(`Invitation${email ? ` for ${email}` : ''} (single use, until ${r.expiresAt}):`);
      cli.print(r.url);
      return 0;
    },
  },
};
