// One forwarded request against the compiled rules: the path normalised first, so the rules
// judge the path the app will serve; a path without one reading gets the strictest verdict
// the host's rules can give, so no spelling of a URL earns more than its plainest one.
import type { CompiledRules } from './compileRules.js';
import { plainIp } from './compileRules.js';
import { evaluateRules, strictestVerdict, type AccessSubject, type AccessVerdict } from './evaluateRules.js';
import { normalizeRequestPath, type AmbiguityReason } from './normalizeRequestPath.js';

/** What the proxy says was asked for. */
export interface ForwardedRequest {
  host: string;
  /** The request-target as forwarded (`/path?query`), not yet normalised. */
  uri: string;
  method: string;
  ip: string;
}

export interface Judgement {
  verdict: AccessVerdict;
  /** Set when the path had no single reading: why, and the rule its raw text would have met (for the log). */
  ambiguous?: { reason: AmbiguityReason; rawTextRule: number | null };
}

export function judgeRequest(compiled: CompiledRules, forwarded: ForwardedRequest, who: AccessSubject | null): Judgement {
  const target = normalizeRequestPath(forwarded.uri);
  const req = { host: forwarded.host.toLowerCase(), path: target.path, query: target.query, method: forwarded.method, ip: plainIp(forwarded.ip) };
  if (target.kind === 'normal') return { verdict: evaluateRules(compiled, req, who) };
  const rawTextRule = evaluateRules(compiled, req, who).rule;
  return { verdict: strictestVerdict(compiled, req, who), ambiguous: { reason: target.reason, rawTextRule } };
}
