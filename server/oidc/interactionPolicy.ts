// oidc-provider's login and consent prompts, plus one check: the provider's session must be
// the person's current Keyward session (same user, same sign-in, level high enough for the
// request). Signing out of Keyward, signing in as someone else or stepping up all make it
// fail, so the next authorization goes through the interaction (server/oidc/interactionRoutes.ts)
// and picks up the Keyward session as it is now.
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { acrFor, authTimeFor, requiredAal, signedInAt } from './authLevel.js';
import type { RequestScope } from './requestScope.js';

const { Check } = interactionPolicy;

export function createInteractionPolicy(scope: RequestScope) {
  const policy = interactionPolicy.base();
  const keywardSession = new Check('keyward_session', 'End-User authentication at Keyward is required', 'login_required', (ctx: KoaContextWithOIDC) => {
    const view = scope.current()?.view;
    const needed = requiredAal(ctx.oidc.params?.['acr_values'], ctx.oidc.client?.['require_aal']);
    const userId = signedInAt(view, needed);
    const session = ctx.oidc.session;
    if (!view || !userId || !session) return Check.REQUEST_PROMPT;
    const same = session.accountId === userId && session.authTime() === authTimeFor(view) && session.acr === acrFor(view);
    return same ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
  });
  policy.get('login')!.checks.push(keywardSession);
  return policy;
}
