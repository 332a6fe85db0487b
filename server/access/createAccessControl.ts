// Forward-auth by access rules (ACCESS_RULES_FILE): who is asking, for which host, path,
// method and address, against the rules in force. The rules judge the path the app will
// serve (normalizeRequestPath.ts); a path without one reading gets the strictest verdict the
// host's rules can give, so no spelling of a URL earns more than its plainest one.
import type { SessionView } from '../session/sessionState.js';
import type { KeywardUser, SessionIdentity } from '../protect/createSessionIdentity.js';
import type { RulesHolder } from './rules/createRulesHolder.js';
import { evaluateRules, strictestVerdict, type AccessVerdict } from './rules/evaluateRules.js';
import { plainIp } from './rules/compileRules.js';
import { normalizeRequestPath, type AmbiguityReason } from './rules/normalizeRequestPath.js';

/** What the proxy says was asked for. */
export interface ForwardedRequest {
  host: string;
  /** The request-target as forwarded (`/path?query`), not yet normalised. */
  uri: string;
  method: string;
  ip: string;
}

export interface AccessCheck {
  verdict: AccessVerdict;
  /** The fully signed-in user, if any (their identity goes to the app when allowed). */
  user: KeywardUser | null;
  /** Someone is signed in, perhaps not at the level the rule needs. */
  signedIn: boolean;
  /** Set when the path had no single reading: why, and the rule its raw text would have met (for the log). */
  ambiguous?: { reason: AmbiguityReason; rawTextRule: number | null };
}

export function createAccessControl(deps: { identity: SessionIdentity; rules: RulesHolder }) {
  return {
    async check(view: SessionView, forwarded: ForwardedRequest): Promise<AccessCheck> {
      const user = await deps.identity.identify(view);
      const who = user && { username: user.username, groups: user.groups, aal: user.aal };
      const signedIn = user !== null || view.status !== 'anonymous';
      const compiled = deps.rules.current();
      const target = normalizeRequestPath(forwarded.uri);
      const req = { host: forwarded.host.toLowerCase(), path: target.path, query: target.query, method: forwarded.method, ip: plainIp(forwarded.ip) };
      if (target.kind === 'normal') return { verdict: evaluateRules(compiled, req, who), user, signedIn };
      const rawTextRule = evaluateRules(compiled, req, who).rule;
      return { verdict: strictestVerdict(compiled, req, who), user, signedIn, ambiguous: { reason: target.reason, rawTextRule } };
    },
  };
}

export type AccessControl = ReturnType<typeof createAccessControl>;
