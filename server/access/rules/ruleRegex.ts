// Rule regexes run on text a visitor chooses, on every proxied request: a backtracking
// engine would let one request for `/aaaa…a!` hold a worker for seconds under `^/(a+)+$`.
// re2js (a pure-JS port of RE2: no native build, the same linear-time guarantee as the
// native `re2` binding) matches in time linear in the input, and refuses what it cannot run
// that way (back-references, look-around) when the file is loaded. Its syntax is Go's
// regexp, the one Authelia's rules are written in.
import { RE2JS } from 're2js';

export interface RuleRegex {
  /** True when the pattern matches somewhere in `text` (like RegExp#test: anchor with ^ and $). */
  test(text: string): boolean;
}

/** Throws with the engine's reason when the pattern is not RE2 syntax. */
export function compileRuleRegex(source: string): RuleRegex {
  return RE2JS.compile(source);
}

/** Why `source` cannot be a rule regex, or null when it can. */
export function ruleRegexProblem(source: string): string | null {
  try {
    compileRuleRegex(source);
    return null;
  } catch (err) {
    return `not a regular expression that runs in linear time (RE2 syntax: no look-around, no back-references): ${(err as Error).message}`;
  }
}

/**
 * True when the pattern asks for a literal `?` (`\?`, or `?` in a class like `[?&]`; `[^?]`
 * is fine). A path never holds one (the query is matched by `query`), so such a resource could never match:
 * most likely an Authelia rule written for the path with its query.
 */
export function mentionsQuestionMark(source: string): boolean {
  let inClass = false;
  let negated = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      if (source[i + 1] === '?' && !(inClass && negated)) return true;
      i++;
    } else if (inClass) {
      if (c === '?' && !negated) return true;
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      negated = source[i + 1] === '^';
      if (negated) i++;
      if (source[i + 1] === ']') i++;
    }
  }
  return false;
}
