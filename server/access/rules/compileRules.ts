// Rules compiled once per load (linear-time regexes built, networks in a BlockList), so the check that
// runs on every proxied request is a few comparisons per rule.
import { BlockList, isIP } from 'node:net';
import type { Policy, Rule, RuleFile } from './ruleFile.js';
import { compileRuleRegex } from './ruleRegex.js';

export interface CompiledRule {
  index: number;
  matchesHost(host: string): boolean;
  /** The method and client address only. */
  matchesClient(method: string, ip: string): boolean;
  /** The normalised path (`resources`) and query (`query`). */
  matchesTarget(path: string, query: string): boolean;
  /** Whether the rule looks at the path or query at all. */
  targetDependent: boolean;
  /** null: anyone (no subject). Otherwise any of these lists, each needing all of its names. */
  subject: string[][] | null;
  policy: Policy;
}

export interface CompiledRules {
  rules: CompiledRule[];
  defaultPolicy: Policy;
}

/** "::ffff:10.0.0.1" (how Node reports IPv4 on a dual-stack socket) is 10.0.0.1. */
export function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

function hostMatcher(domains: string[]): (host: string) => boolean {
  const exact = new Set(domains.filter((d) => !d.startsWith('*.')));
  // "*.example.com" covers every subdomain, not example.com itself (as in Authelia).
  const suffixes = domains.filter((d) => d.startsWith('*.')).map((d) => d.slice(1));
  return (host) => exact.has(host) || suffixes.some((s) => host.endsWith(s));
}

function networkMatcher(networks: string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const n of networks) {
    const [address, bits] = n.split('/') as [string, string | undefined];
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return (ip) => {
    const family = isIP(ip);
    return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  };
}

function compileRule(rule: Rule, index: number): CompiledRule {
  const resources = rule.resources?.map(compileRuleRegex);
  const query = rule.query?.map(compileRuleRegex);
  const methods = rule.methods && new Set<string>(rule.methods);
  const inNetwork = rule.networks && networkMatcher(rule.networks);
  return {
    index,
    matchesHost: hostMatcher(rule.domain),
    matchesClient: (method, ip) => (!methods || methods.has(method)) && (!inNetwork || inNetwork(ip)),
    matchesTarget: (path, q) => (!resources || resources.some((r) => r.test(path))) && (!query || query.some((r) => r.test(q))),
    targetDependent: Boolean(resources || query),
    subject: rule.subject ?? null,
    policy: rule.policy,
  };
}

export function compileRules(file: RuleFile): CompiledRules {
  return { rules: file.rules.map(compileRule), defaultPolicy: file.default_policy };
}
