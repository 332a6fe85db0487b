// oidc-provider's login and consent prompts, plus one check: the provider's session must be
// the person's current Keyward session (same user, same sign-in, the acr this request gets)
// at the level the request binds it to. Signing out of Keyward, signing in as someone else or
// stepping up all make it fail, so the next authorization goes through the interaction
// (server/oidc/interactionRoutes.ts) and picks up the Keyward session as it is now.
//
// A level acr_values merely prefers also goes through the interaction, which offers the
// step-up once and then settles for what the person has: the interaction marks its result
// `settled`, and a resumed authorization carrying that mark is not sent back for the
// preference (without it, a level the person cannot reach would send them round for ever).
import type { KoaContextWithOIDC } from 'oidc-provider';
import { interactionPolicy } from './oidcProviderLibrary.js';
import { acrRequest, acrToIssue, authTimeFor, sessionLevel } from './authLevel.js';
import type { RequestScope } from './requestScope.js';
import { keywardResult } from './keywardResult.js';

const { Check } = interactionPolicy;
const DEVICE_ROUTES = new Set(['code_verification', 'device_resume']);

export function createInteractionPolicy(scope: RequestScope) {
  const policy = interactionPolicy.base();
  const keywardSession = new Check('keyward_session', 'End-User authentication at Keyward is required', 'login_required', (ctx: KoaContextWithOIDC) => {
    const view = scope.current()?.view;
    const level = sessionLevel(view);
    const session = ctx.oidc.session;
    if (!view || level === 0 || !session) return Check.REQUEST_PROMPT;
    // A device sign-in (RFC 8628) is confirmed with a fresh proof, whatever the session has:
    // the code could have been read to the person by someone else (interactionRoutes.ts).
    if (DEVICE_ROUTES.has(String(ctx.oidc.route)) && keywardResult(ctx.oidc.result).reauthFrom === undefined) return Check.REQUEST_PROMPT;
    const request = acrRequest({ acr_values: ctx.oidc.params?.['acr_values'], claims: ctx.oidc.claims }, ctx.oidc.client?.['require_aal']);
    if (level < request.floor) return Check.REQUEST_PROMPT;
    if (level < request.wanted && !keywardResult(ctx.oidc.result).settled) return Check.REQUEST_PROMPT;
    const same = session.accountId === view.userId && session.authTime() === authTimeFor(view) && session.acr === acrToIssue(level, request);
    return same ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
  });
  policy.get('login')!.checks.push(keywardSession);
  return policy;
}
