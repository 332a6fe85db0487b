// Forward-auth by access rules (ACCESS_RULES_FILE): who is asking, for which host, path,
// method and address, against the rules in force.
import type { SessionView } from '../session/sessionState.js';
import type { KeywardUser, SessionIdentity } from '../protect/createSessionIdentity.js';
import type { RulesHolder } from './rules/createRulesHolder.js';
import { evaluateRules, type AccessRequest, type AccessVerdict } from './rules/evaluateRules.js';
import { plainIp } from './rules/compileRules.js';

export interface AccessCheck {
  verdict: AccessVerdict;
  /** The fully signed-in user, if any (their identity goes to the app when allowed). */
  user: KeywardUser | null;
  /** Someone is signed in, perhaps not at the level the rule needs. */
  signedIn: boolean;
}

export function createAccessControl(deps: { identity: SessionIdentity; rules: RulesHolder }) {
  return {
    async check(view: SessionView, req: AccessRequest): Promise<AccessCheck> {
      const user = await deps.identity.identify(view);
      const who = user && { username: user.username, groups: user.groups, aal: user.aal };
      const verdict = evaluateRules(deps.rules.current(), { ...req, host: req.host.toLowerCase(), ip: plainIp(req.ip) }, who);
      return { verdict, user, signedIn: user !== null || view.status !== 'anonymous' };
    },
  };
}

export type AccessControl = ReturnType<typeof createAccessControl>;
