// Rule regexes run on paths visitors choose: the work one check does must grow with the
// path's length, never explode (`^/(a+)+$` on `/aaa…a!` took 14 s with a backtracking engine).
// Work is counted, not timed: the engine reads its input one character at a time through
// charCodeAt/codePointAt, so a text that counts those calls counts the steps.
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../server/access/rules/compileRules.js';
import { evaluateRules } from '../../server/access/rules/evaluateRules.js';
import { parseRuleFile } from '../../server/access/rules/ruleFile.js';

const HOSTILE = ['^/(a+)+$', '^/(a|a)*$', '^/(a|aa)+$', '^/([a-z]+)*[0-9]$', '^/(.*a){20}$', '^/(\\w+\\s?)*$'];

const rules = compileRules(
  parseRuleFile(
    `default_policy: deny\nrules:\n${HOSTILE.map((r) => `  - domain: app.example.com\n    resources: ['${r}']\n    policy: bypass\n`).join('')}  - domain: app.example.com\n    query: ['^(a+)+$']\n    policy: bypass\n`,
    'rules.yml',
  ),
);

/** A string that counts how many characters are read from it. */
class CountedText extends String {
  reads = 0;
  override charCodeAt(i: number): number {
    this.reads++;
    return super.charCodeAt(i);
  }
  override codePointAt(i: number): number | undefined {
    this.reads++;
    return super.codePointAt(i);
  }
}

/** Characters read to check one request whose path and query are `length` characters of `a…a!`. */
function workFor(length: number): number {
  const path = new CountedText(`/${'a'.repeat(length - 2)}!`);
  const query = new CountedText(`${'a'.repeat(length - 1)}!`);
  const verdict = evaluateRules(rules, { host: 'app.example.com', path: path as unknown as string, query: query as unknown as string, method: 'GET', ip: '203.0.113.5' }, null);
  expect(verdict).toEqual({ kind: 'forbidden', rule: null });
  return path.reads + query.reads;
}

describe('rule regexes on a hostile path', () => {
  it('decides a 10 KB /aaa…a! under ^/(a+)+$ and its kin (no rule matches: the default denies)', () => {
    expect(workFor(10_240)).toBeGreaterThan(0);
  });

  it('reads each character of the path a bounded number of times, whatever its length', () => {
    const rules = HOSTILE.length + 1;
    for (const length of [1_024, 2_048, 5_120, 10_240]) {
      // One pass per rule today; room for a second (a reverse scan to find where a match starts).
      expect(workFor(length)).toBeLessThanOrEqual(2 * rules * length);
    }
  });

  it('does twice the work for a path twice as long', () => {
    const ratio = workFor(10_240) / workFor(5_120);
    expect(ratio).toBeGreaterThan(1.8);
    expect(ratio).toBeLessThan(2.2);
  });
});
