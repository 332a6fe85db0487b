// What a `keyward <command>` is: the CLI (cli.ts) runs it with the loaded configuration and an
// opened store; the commands themselves live beside the use cases they drive, and are named,
// described and loaded on demand in cliCommands.ts.
import type { Config } from './config.js';
import type { Storage } from './storage/port.js';

export interface CliContext {
  config: Config;
  storage: Storage;
  print(line: string): void;
}

export interface Command {
  /** Returns the exit code. */
  run(args: string[], cli: CliContext): Promise<number>;
}
