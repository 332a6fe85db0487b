// A path with no single reading is judged by the strictest verdict the host's rules can give:
// whatever path a server makes of it, that reading would never have been allowed when the
// ambiguous one is refused.
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../server/access/rules/compileRules.js';
import { evaluateRules, type AccessSubject } from '../../server/access/rules/evaluateRules.js';
import { judgeRequest } from '../../server/access/rules/judgeRequest.js';
import { normalizeRequestPath } from '../../server/access/rules/normalizeRequestPath.js';
import { parseRuleFile } from '../../server/access/rules/ruleFile.js';
import { EDGE_RULES } from '../helpers/ruleEdges.js';

const RULES = compileRules(
  parseRuleFile(
    `${EDGE_RULES}
  - domain: team.example.com
    resources: ['^/public/']
    policy: bypass
  - domain: team.example.com
    resources: ['^/ops(/|$)']
    subject: group:ops
    networks: [10.0.0.0/8]
    policy: two_factor
  - domain: team.example.com
    resources: ['^/ops(/|$)']
    policy: deny
  - domain: team.example.com
    subject: [group:staff, group:ops]
    policy: one_factor
`,
    'rules.yml',
  ),
);

const PEOPLE: (AccessSubject | null)[] = [null, { username: 'alice', groups: ['staff'], aal: 1 }, { username: 'bob', groups: ['ops'], aal: 2 }];
const TARGETS = ['/public/..%2fadmin', '/public/..%5Cadmin', '/public\\..\\admin', '/public/%00/../../admin', '/public/%zz/../../admin', '/public/x//../../admin', '/reports%2F2026', '/public/..%2fops', '/public/x//../../ops/x', '/x%2F..%2Fpublic/y'];
const HOSTS = ['app.example.com', 'team.example.com', 'open.example.com', 'query.example.com'];

/** Paths servers might make of `target`: the ambiguous parts read as a separator, as nothing, as a letter, slashes merged. */
function readings(target: string): string[] {
  const tricky = /%2f|%5c|\\|%00|%zz/gi;
  return ['/', '', 'x', '/./']
    .map((alt) => target.replace(tricky, alt))
    .concat(target.replace(/\/{2,}/g, '/'))
    .flatMap((t) => {
      const n = normalizeRequestPath(t);
      return n.kind === 'normal' ? [n.path] : [];
    });
}

describe('the strictest verdict for a path with no single reading', () => {
  it.each(HOSTS)('never allows on %s what one of its readings would refuse', (host) => {
    for (const who of PEOPLE)
      for (const ip of ['10.1.2.3', '203.0.113.5'])
        for (const uri of TARGETS) {
          const judged = judgeRequest(RULES, { host, uri, method: 'GET', ip }, who);
          expect(judged.ambiguous, uri).toBeDefined();
          const paths = readings(uri);
          expect(paths.length, uri).toBeGreaterThan(0);
          if (judged.verdict.kind !== 'allow') continue;
          for (const path of paths) expect(evaluateRules(RULES, { host, path, query: '', method: 'GET', ip }, who).kind, `${who?.username ?? 'anonymous'} ${host}${uri} read as ${path}`).toBe('allow');
        }
  });

  it('allows what every path on the host allows that person', () => {
    expect(judgeRequest(RULES, { host: 'open.example.com', uri: '/a%2Fb', method: 'GET', ip: '203.0.113.5' }, null).verdict).toEqual({ kind: 'allow', rule: 7 });
    const alice = PEOPLE[1]!;
    expect(judgeRequest(RULES, { host: 'team.example.com', uri: '/docs%2Fintro', method: 'GET', ip: '203.0.113.5' }, alice).verdict.kind).toBe('forbidden');
  });

  it('asks an anonymous visitor to sign in where signing in could change the answer', () => {
    expect(judgeRequest(RULES, { host: 'team.example.com', uri: '/public/..%2fops', method: 'GET', ip: '10.1.2.3' }, null).verdict.kind).toBe('sign_in');
    expect(judgeRequest(RULES, { host: 'app.example.com', uri: '/public/..%2fadmin', method: 'GET', ip: '10.1.2.3' }, null).verdict).toEqual({ kind: 'forbidden', rule: 1 });
  });
});
