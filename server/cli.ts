#!/usr/bin/env node
// The `keyward` command for operators: tasks that run against the configured database with
// the same environment as the server. Each subcommand is one entry in `commands`.
import { ConfigError, loadConfig, type Config } from './config.js';
import { cryptoRandom } from './clock.js';
import { openStorage } from './storage/openStorage.js';
import { createSecretSealer } from './totp/createSecretSealer.js';
import { rotateTotpKeys } from './totp/rotateTotpKeys.js';
import { normalizeUsername } from './accounts/usernames.js';
import { accessCommands } from './access/accessCommands.js';
import { addClient, listClients, removeClient } from './oidc/clientCommands.js';
import { updateMdsBlob } from './mds/mdsCommands.js';
import type { CliContext, Command } from './cliCommand.js';



function roleCommand(present: boolean): Command {
  return {
    summary: present ? 'Make <username> an administrator.' : 'Take administrator rights from <username>.',
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

const withRandom = (run: (args: string[], io: CliContext & { random: typeof cryptoRandom }) => Promise<number>) => (args: string[], cli: CliContext) =>
  run(args, { ...cli, random: cryptoRandom });

const commands: Record<string, Command> = {
  ...accessCommands,
  'oidc clients add': { summary: 'Register a single sign-on client (its secret is shown once).', run: withRandom(addClient) },
  'oidc clients list': { summary: 'List the single sign-on clients registered with the CLI.', run: withRandom(listClients) },
  'oidc clients remove': { summary: 'Remove a single sign-on client registered with the CLI.', run: withRandom(removeClient) },
  'mds update': { summary: 'Verify a FIDO metadata blob (--file blob.jwt), store it for every instance, re-check registered keys.', run: updateMdsBlob },
  'admin grant': roleCommand(true),
  'admin revoke': roleCommand(false),
  'totp rotate-keys': {
    summary: 'Re-encrypt every authenticator-app secret and token signing key with the first key of TOTP_ENCRYPTION_KEYS.',
    async run(_args, { config, storage, print }) {
      const sealer = createSecretSealer({ keys: config.totpEncryptionKeys, random: cryptoRandom });
      const r = await rotateTotpKeys({ store: storage.totp, sealer, signingKeys: storage.signingKeys });
      print(`examined ${r.examined}, re-encrypted ${r.rotated}, already current ${r.alreadyCurrent}, changed meanwhile ${r.changedMeanwhile}, unreadable ${r.unreadable.length}`);
      for (const id of r.unreadable) print(`  unreadable (no configured key opens it): ${id}`);
      if (r.changedMeanwhile > 0) print('Some secrets changed while rotating: run the command again.');
      if (r.unreadable.length === 0 && r.changedMeanwhile === 0) {
        print(`Every secret and signing key is sealed with key "${config.totpEncryptionKeys[0]?.id}"; the other keys can be removed.`);
      }
      return r.unreadable.length > 0 || r.changedMeanwhile > 0 ? 1 : 0;
    },
  },
};

function usage(): string {
  return ['Usage: keyward <command>', '', 'Commands:', ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  // Subcommands are one to three words ("totp rotate-keys", "admin grant <user>", "oidc clients add ...").
  const name = [argv.slice(0, 3).join(' '), argv.slice(0, 2).join(' '), argv.slice(0, 1).join(' ')].find((n) => n in commands);
  const command = name ? commands[name] : undefined;
  if (!name || !command) {
    console.error(usage());
    return argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' ? 0 : 64; // EX_USAGE
  }
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78; // EX_CONFIG
    }
    throw err;
  }
  const storage = await openStorage(config);
  try {
    return await command.run(argv.slice(name.split(' ').length), { config, storage, print: (line) => console.log(line) });
  } finally {
    await storage.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('keyward:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
