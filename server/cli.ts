#!/usr/bin/env node
// The `keyward` command for operators: tasks that run against the configured database with
// the same environment as the server. Commands are listed in cliCommands.ts; only the one
// asked for is loaded, and the configuration and the store only when it really runs (so
// `--help` and a typo answer at once, without DATA_DIR or a database).
import { cliCommands, type CommandEntry } from './cliCommands.js';
import { nearestCommand } from './nearestCommand.js';

const EX_CONFIG = 78;
/** A command that does not exist: 2, as shells and most CLIs answer a misuse of the command line. */
const UNKNOWN_COMMAND = 2;
const HELP = new Set(['--help', '-h', 'help']);

function usage(): string {
  return [
    'Usage: keyward <command> [arguments]   (keyward <command> --help for one command)',
    '',
    'Commands:',
    ...Object.entries(cliCommands).map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}`),
  ].join('\n');
}

const commandHelp = (c: CommandEntry) => `Usage: ${c.usage}\n\n${c.summary}`;

/** The longest command name the arguments start with ("oidc clients add …" before "oidc …"). */
function find(argv: string[]): string | undefined {
  return [3, 2, 1].map((n) => argv.slice(0, n).join(' ')).find((n) => Object.hasOwn(cliCommands, n));
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || (argv.length === 1 && HELP.has(argv[0]!))) {
    console.log(usage());
    return 0;
  }
  // `keyward help users add` is `keyward users add --help`.
  const words = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
  const name = find(words);
  if (!name) {
    const typed = words.filter((w) => !w.startsWith('-')).slice(0, 3);
    const nearest = nearestCommand(typed, Object.keys(cliCommands));
    const under = Object.keys(cliCommands).filter((n) => n.startsWith(`${typed.join(' ')} `));
    // Name the words up to the first that no command has ("admin grnat", not "admin grnat alice").
    let known = 0;
    while (known < typed.length && Object.keys(cliCommands).some((n) => n.startsWith(`${typed.slice(0, known + 1).join(' ')} `))) known++;
    console.error(`keyward: unknown command: ${typed.slice(0, known + 1).join(' ') || words[0]}`);
    if (under.length) console.error(`Did you mean one of: ${under.map((n) => `keyward ${n}`).join(', ')}?`);
    else if (nearest) console.error(`Did you mean: keyward ${nearest}?`);
    console.error('Run keyward --help for every command.');
    return UNKNOWN_COMMAND;
  }
  const entry = cliCommands[name]!;
  const args = words.slice(name.split(' ').length);
  if (args.some((a) => HELP.has(a) && a !== 'help')) {
    console.log(commandHelp(entry));
    return 0;
  }
  const { ConfigError, loadConfig } = await import('./config.js');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return EX_CONFIG;
    }
    throw err;
  }
  const [command, { openStorage }] = await Promise.all([entry.load(), import('./storage/openStorage.js')]);
  const storage = await openStorage(config);
  try {
    return await command.run(args, { config, storage, print: (line) => console.log(line) });
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
