// Which rule applies to a request, and what that means for the person asking: allowed,
// "sign in (or add a second factor)", or forbidden (no sign-in would change the answer).
import type { CompiledRule, CompiledRules } from './compileRules.js';
import type { Policy } from './ruleFile.js';

export interface AccessRequest {
  host: string;
  /** The normalised path (normalizeRequestPath.ts): what `resources` see. */
  path: string;
  /** The query without its `?` (percent-encoding normalised): what `query` sees. */
  query: string;
  method: string;
  ip: string;
}

/** A fully signed-in person; null for anyone else (anonymous, or a sign-in not finished). */
export interface AccessSubject {
  username: string;
  groups: string[];
  aal: number;
}

export type AccessVerdict =
  | { kind: 'allow'; rule: number | null }
  | { kind: 'sign_in'; rule: number | null }
  | { kind: 'forbidden'; rule: number | null };

// Each policy asks at least what the ones before it ask.
const STRICTNESS: Record<Policy, number> = { bypass: 0, one_factor: 1, two_factor: 2, hardware_key: 3, deny: 4 };

const REQUIRED_AAL: Partial<Record<Policy, number>> = { one_factor: 1, two_factor: 2, hardware_key: 3 };

function subjectMatches(subject: string[][], who: AccessSubject): boolean {
  const has = (name: string) => (name.startsWith('user:') ? name.slice(5).toLowerCase() === who.username.toLowerCase() : who.groups.includes(name.slice(6)));
  return subject.some((all) => all.every(has));
}

function verdictFor(policy: Policy, who: AccessSubject | null, rule: number | null, signInMayHelp: boolean): AccessVerdict {
  if (policy === 'bypass') return { kind: 'allow', rule };
  if (policy === 'deny') return { kind: signInMayHelp && !who ? 'sign_in' : 'forbidden', rule };
  if (who && who.aal >= REQUIRED_AAL[policy]!) return { kind: 'allow', rule };
  return { kind: 'sign_in', rule };
}

/** First matching rule wins; `default_policy` when none does. */
export function evaluateRules(compiled: CompiledRules, req: AccessRequest, who: AccessSubject | null): AccessVerdict {
  // An anonymous request passes rules with a subject, but if one of them (not a deny) would
  // have matched, signing in might change the answer: a later deny then asks for a sign-in.
  let signInMayHelp = false;
  for (const rule of compiled.rules as CompiledRule[]) {
    if (!rule.matchesHost(req.host) || !rule.matchesClient(req.method, req.ip) || !rule.matchesTarget(req.path, req.query)) continue;
    if (rule.subject) {
      if (!who) {
        signInMayHelp ||= rule.policy !== 'deny';
        continue;
      }
      if (!subjectMatches(rule.subject, who)) continue;
    }
    return verdictFor(rule.policy, who, rule.index, signInMayHelp);
  }
  return verdictFor(compiled.defaultPolicy, who, null, signInMayHelp);
}

/**
 * The answer for a request whose path has no single reading: whatever path the app makes of
 * it, the verdict is never weaker than this. Every rule that could match some path for this
 * person (host, method, address and subject match) is a candidate, up to the first that
 * matches every path; the strictest candidate (or `default_policy`, when reached) decides.
 */
export function strictestVerdict(compiled: CompiledRules, req: Omit<AccessRequest, 'path' | 'query'>, who: AccessSubject | null): AccessVerdict {
  let signInMayHelp = false;
  let policy: Policy | undefined;
  let ruleIndex: number | null = null;
  const consider = (p: Policy, index: number | null) => {
    if (policy === undefined || STRICTNESS[p] > STRICTNESS[policy]) [policy, ruleIndex] = [p, index];
  };
  let everyPathDecided = false;
  for (const rule of compiled.rules as CompiledRule[]) {
    if (!rule.matchesHost(req.host) || !rule.matchesClient(req.method, req.ip)) continue;
    if (rule.subject) {
      if (!who) {
        signInMayHelp ||= rule.policy !== 'deny';
        continue;
      }
      if (!subjectMatches(rule.subject, who)) continue;
    }
    consider(rule.policy, rule.index);
    if (!rule.targetDependent) {
      everyPathDecided = true;
      break;
    }
  }
  if (!everyPathDecided) consider(compiled.defaultPolicy, null);
  return verdictFor(policy!, who, ruleIndex, signInMayHelp);
}
