// The rules in force: loaded (and checked) at start, reloaded on SIGHUP or when the file
// changes. A broken new file never replaces working rules: the old ones stay, and the log
// says why. Requests in flight keep the rules they started with (one reference swap).
// `cp` truncates the file, then writes it in pieces: the watcher sees the empty file (which
// would parse as "no rules, deny everything") and prefixes of the new one (which do not
// parse). Neither replaces working rules; the complete file, once written, does.
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { compileRules, type CompiledRules } from './compileRules.js';
import { parseRuleFile } from './ruleFile.js';
import { parse as parseYaml } from 'yaml';

export interface RulesHolder {
  readonly file: string;
  current(): CompiledRules;
  /** Reads the file again; false (old rules kept, reason logged) when it is broken. */
  reload(): boolean;
  /** Reloads whenever the file changes; returns a function that stops watching. */
  watch(): () => void;
}

const load = (file: string) => {
  const text = readFileSync(file, 'utf8');
  return { text, rules: compileRules(parseRuleFile(text, file)) };
};

/** No YAML content at all (empty, or only comments): a file being rewritten, not a rule set. */
const isBlank = (text: string) => parseYaml(text) == null;

/** Throws RuleFileError (or the read error) when the file cannot be used: start-up stops on it. */
export function createRulesHolder(file: string, logger: Logger): RulesHolder {
  let loaded = load(file);
  logger.info({ file, rules: loaded.rules.rules.length, defaultPolicy: loaded.rules.defaultPolicy }, 'access rules loaded');

  const holder: RulesHolder = {
    file,
    current: () => loaded.rules,
    reload() {
      try {
        const next = load(file);
        if (next.text === loaded.text) return true;
        if (isBlank(next.text) && loaded.rules.rules.length > 0) {
          logger.warn({ file, rules: loaded.rules.rules.length }, 'access rules NOT reloaded: the file is empty (being written?), the previous rules stay in force');
          return false;
        }
        loaded = next;
        logger.info({ file, rules: next.rules.rules.length }, 'access rules reloaded');
        return true;
      } catch (err) {
        logger.error({ file, reason: (err as Error).message }, 'access rules NOT reloaded: the file is broken, the previous rules stay in force');
        return false;
      }
    },
    watch() {
      // The directory, not the file: editors and `kubectl` replace a file rather than write it.
      const watcher: FSWatcher = watch(dirname(file), (_event, name) => {
        if (name === null || name === basename(file) || name === '..data') holder.reload();
      });
      watcher.on('error', (err) => logger.warn({ err, file }, 'cannot watch the access rules file; SIGHUP still reloads it'));
      return () => watcher.close();
    },
  };
  return holder;
}
