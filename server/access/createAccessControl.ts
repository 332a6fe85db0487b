// Forward-auth by access rules (ACCESS_RULES_FILE): who is asking, for which host, path,
// method and address, against the rules in force (judgeRequest.ts).
import type { SessionView } from '../session/sessionState.js';
import type { SessionUserNames } from '../storage/port.js';
import type { KeywardUser, SessionIdentity } from '../protect/createSessionIdentity.js';
import type { RulesHolder } from './rules/createRulesHolder.js';
import { judgeRequest, type ForwardedRequest, type Judgement } from './rules/judgeRequest.js';

export type { ForwardedRequest } from './rules/judgeRequest.js';

export interface AccessCheck extends Judgement {
  /** The fully signed-in user, if any (their identity goes to the app when allowed). */
  user: KeywardUser | null;
  /** Someone is signed in, perhaps not at the level the rule needs. */
  signedIn: boolean;
}

export function createAccessControl(deps: { identity: SessionIdentity; rules: RulesHolder }) {
  return {
    async check(view: SessionView, forwarded: ForwardedRequest, known?: SessionUserNames | null): Promise<AccessCheck> {
      const user = await deps.identity.identify(view, known);
      const who = user && { username: user.username, groups: user.groups, aal: user.aal };
      const judgement = judgeRequest(deps.rules.current(), forwarded, who);
      return { ...judgement, user, signedIn: user !== null || view.status !== 'anonymous' };
    },
  };
}

export type AccessControl = ReturnType<typeof createAccessControl>;
