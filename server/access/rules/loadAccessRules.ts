// ACCESS_RULES_FILE at start-up: a bad rule stops the start naming it (running with no rules or
// half of them is worse); once loaded, the file is reloaded on SIGHUP and on change. With
// WORKERS > 1 every worker holds and watches its own copy; the primary forwards SIGHUP.
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { createRulesHolder, type RulesHolder } from './createRulesHolder.js';

export function loadAccessRules(config: Config, logger: Logger, opts: { watch: boolean } = { watch: true }): RulesHolder | undefined {
  if (!config.access.rulesFile) return undefined;
  let rules: RulesHolder;
  try {
    rules = createRulesHolder(config.access.rulesFile, logger);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(78); // EX_CONFIG
  }
  if (opts.watch) {
    process.on('SIGHUP', () => rules.reload());
    rules.watch();
  }
  return rules;
}
