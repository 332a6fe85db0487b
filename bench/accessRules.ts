// A 100-rule ACCESS_RULES_FILE for the forward-auth benchmark. The request it measures
// matches only the last rule, so every check walks all 100 (the worst case for a file this
// long): 99 rules for other apps mixing wildcards, path regexes, methods, networks and
// subjects, then the app the load generator asks for.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RULES_HOST = 'bench.example.com';

export const FORWARDED = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': RULES_HOST, 'X-Forwarded-Uri': '/reports/2026?page=2', 'X-Forwarded-Method': 'GET', 'X-Forwarded-For': '203.0.113.7' };

function otherRule(i: number): string {
  switch (i % 4) {
    case 0:
      return `  - domain: app${i}.example.com\n    resources: ['^/api/v${i}/', '^/admin(/|$)']\n    subject: group:team${i}\n    policy: two_factor\n`;
    case 1:
      return `  - domain: '*.svc${i}.example.com'\n    networks: [10.${i}.0.0/16, 'fd00:${i}::/32']\n    policy: one_factor\n`;
    case 2:
      return `  - domain: [api${i}.example.com, www${i}.example.com]\n    methods: [POST, PUT, DELETE]\n    subject: [[group:a${i}, group:b${i}], user:owner${i}]\n    policy: two_factor\n`;
    default:
      return `  - domain: static${i}.example.com\n    resources: ['\\\\.(css|js|png)$']\n    policy: bypass\n`;
  }
}

/** Writes the file into `dir` and returns its path. */
export function writeHundredRules(dir: string): string {
  const rules = Array.from({ length: 99 }, (_, i) => otherRule(i)).join('');
  const file = join(dir, 'access-rules.yml');
  writeFileSync(file, `default_policy: deny\nrules:\n${rules}  - domain: ${RULES_HOST}\n    resources: ['^/reports(/|$)']\n    policy: two_factor\n`);
  return file;
}
