// Every `keyward` command by name: what it does, how it is called, and how to load it. Only this
// list is read at start-up; a command's module (and what it pulls in: the password hasher, the
// OIDC client registry, the MDS verifier...) is imported when that command runs, so a command
// that only touches the database starts without loading the rest of the server.
import type { Command } from './cliCommand.js';
import { cryptoRandom } from './clock.js';
import { ADD_CLIENT_USAGE } from './oidc/clientUsage.js';

export interface CommandEntry {
  summary: string;
  /** The command line, for `keyward <command> --help` and after a wrong argument. */
  usage: string;
  load(): Promise<Command>;
}

const access = async (name: string) => (await import('./access/accessCommands.js')).accessCommands[name]!;
const oidc = (name: 'addClient' | 'listClients' | 'removeClient') => async (): Promise<Command> => {
  const commands = await import('./oidc/clientCommands.js');
  return { run: (args, cli) => commands[name](args, { ...cli, random: cryptoRandom }) };
};

export const cliCommands: Record<string, CommandEntry> = {
  'users add': {
    summary: 'Add <username> (no password yet) and print their single-use enrolment link. --email addr (theirs alone); --group g (repeatable)',
    usage: 'keyward users add <username> [--email <address>] [--group <g>]...',
    load: () => access('users add'),
  },
  'users reset': {
    summary: 'Remove the second factors and password of <username>, sign them out, and print the single-use link that lets them back in.',
    usage: 'keyward users reset <username>',
    load: () => access('users reset'),
  },
  'users groups': {
    summary: 'Change the groups of <username>: --add g, --remove g (repeatable); prints the groups after.',
    usage: 'keyward users groups <username> [--add <g>]... [--remove <g>]...',
    load: () => access('users groups'),
  },
  'users list': {
    summary: 'List users (names starting with [prefix]): source (local or directory), Keyward groups and directory groups.',
    usage: 'keyward users list [prefix]',
    load: () => access('users list'),
  },
  invite: {
    summary: 'Print a single-use invitation link. --email addr binds it to that address; --group g (repeatable)',
    usage: 'keyward invite [--email <address>] [--group <g>]...',
    load: () => access('invite'),
  },
  'oidc clients add': {
    summary: 'Register a single sign-on client (its secret is shown once).',
    usage: ADD_CLIENT_USAGE,
    load: oidc('addClient'),
  },
  'oidc clients list': { summary: 'List the single sign-on clients registered with the CLI.', usage: 'keyward oidc clients list', load: oidc('listClients') },
  'oidc clients remove': { summary: 'Remove a single sign-on client registered with the CLI.', usage: 'keyward oidc clients remove <client_id>', load: oidc('removeClient') },
  'mds update': {
    summary: 'Verify a FIDO metadata blob (--file blob.jwt), store it for every instance, re-check registered keys.',
    usage: 'keyward mds update --file <blob.jwt>   (download it from https://mds3.fidoalliance.org/)',
    load: async () => ({ run: (await import('./mds/mdsCommands.js')).updateMdsBlob }),
  },
  'admin grant': { summary: 'Make <username> an administrator.', usage: 'keyward admin grant <username>', load: async () => (await import('./admin/roleCommands.js')).roleCommand(true) },
  'admin revoke': { summary: 'Take administrator rights from <username>.', usage: 'keyward admin revoke <username>', load: async () => (await import('./admin/roleCommands.js')).roleCommand(false) },
  'totp rotate-keys': {
    summary: 'Re-encrypt every authenticator-app secret and token signing key with the first key of TOTP_ENCRYPTION_KEYS.',
    usage: 'keyward totp rotate-keys',
    load: async () => (await import('./totp/rotateKeysCommand.js')).rotateKeysCommand,
  },
};
