// docs/access.md's rule files are valid, and its worked example means what the text says,
// also for the other spellings of its paths.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../server/access/rules/compileRules.js';
import { judgeRequest } from '../../server/access/rules/judgeRequest.js';
import { parseRuleFile } from '../../server/access/rules/ruleFile.js';
import type { AccessSubject } from '../../server/access/rules/evaluateRules.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'access.md'), 'utf8');
const ruleFiles = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((y) => /^rules:/m.test(y));

const people: Record<string, AccessSubject | null> = {
  anonymous: null,
  alice: { username: 'alice', groups: ['staff'], aal: 1 },
  bob: { username: 'bob', groups: ['ops'], aal: 2 },
};
const OFFICE = '10.20.1.1';
const HOME = '203.0.113.5';

// [who, host, uri, client address, verdict]
const CASES: [string, string, string, string, string][] = [
  ['anonymous', 'wiki.example.com', '/static/app.css', HOME, 'allow'],
  ['anonymous', 'wiki.example.com', '/static/../secret', HOME, 'sign_in'],
  ['anonymous', 'wiki.example.com', '/static/%2e%2e/secret', HOME, 'sign_in'],
  ['anonymous', 'wiki.example.com', '/static/..%2fsecret', HOME, 'sign_in'],
  ['alice', 'wiki.example.com', '/', HOME, 'allow'],
  ['alice', 'wiki.example.com', '/static/..%2fsecret', HOME, 'allow'],
  ['alice', 'grafana.example.com', '/', HOME, 'forbidden'],
  ['bob', 'grafana.example.com', '/dashboards', HOME, 'allow'],
  ['bob', 'grafana.example.com', '/admin/users', OFFICE, 'allow'],
  ['bob', 'grafana.example.com', '/admin/users', HOME, 'forbidden'],
  ['bob', 'grafana.example.com', '/admin?x=1', HOME, 'forbidden'],
  ['bob', 'grafana.example.com', '//admin', HOME, 'forbidden'],
  ['bob', 'grafana.example.com', '/admin;x', HOME, 'forbidden'],
  ['bob', 'grafana.example.com', '/%61dmin/users', HOME, 'forbidden'],
  ['bob', 'grafana.example.com', '/dashboards/../admin', HOME, 'forbidden'],
  ['bob', 'grafana.example.com', '/admin%2Fusers', OFFICE, 'forbidden'],
  ['bob', 'grafana.example.com', '/dashboards%2Fx', HOME, 'forbidden'],
  ['anonymous', 'grafana.example.com', '/admin%2Fusers', HOME, 'sign_in'],
];

describe('the rule files in docs/access.md', () => {
  it('has rule files, and each one loads', () => {
    expect(ruleFiles.length).toBeGreaterThan(0);
    for (const text of ruleFiles) expect(() => parseRuleFile(text, 'docs/access.md')).not.toThrow();
  });

  const worked = compileRules(parseRuleFile(ruleFiles.find((y) => y.includes('grafana.example.com'))!, 'docs/access.md'));
  it.each(CASES)('worked example: %s → %s%s from %s: %s', (who, host, uri, ip, verdict) => {
    expect(judgeRequest(worked, { host, uri, method: 'GET', ip }, people[who] ?? null).verdict.kind).toBe(verdict);
  });
});
