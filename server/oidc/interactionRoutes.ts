// Where the provider sends a person when an authorization needs them (the interaction):
// Keyward's own session decides. Signed in at the level the request gets -> the login is
// finished with the Keyward user, acr, amr and auth_time; not signed in -> Keyward's sign-in
// page; prompt=login / max_age -> proving it is them again in the same session (verify page,
// or sign-in page without a second factor); below a level the request names and one of their
// factors can give -> Keyward's verify page (step-up), once; below a level the request binds
// them to and none can give -> unmet_authentication_requirements at once. Every page returns
// here after. A client that is not first-party -> a consent page.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { SessionAccess } from '../http/sessionAccess.js';
import type { OidcStore, UserStore } from '../storage/port.js';
import type { PageLook } from '../http/pages/serverPage.js';
import { OIDC_SCOPES } from './claims.js';
import type { Clock } from '../clock.js';
import { acrRequest, acrToIssue, amrFor, authTimeFor, sessionLevel } from './authLevel.js';
import { keywardResult, type KeywardResult } from './keywardResult.js';
import type { CanReach } from './reachableLevel.js';
import type { SessionView } from '../session/sessionState.js';
import { consentPage, expiredPage } from './interactionPages.js';
import { scopesAsked } from './scopesAsked.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Seconds left of an interaction: its exp is set by oidc-provider, on the system clock it keeps. */
const remaining = (interaction: Interaction) => interaction.exp - Math.floor(Date.now() / 1000);

export interface InteractionRouteDeps {
  /** The issuer's path, e.g. /oidc. */
  prefix: string;
  issuer: string;
  signInUrl: string;
  access: SessionAccess;
  store: OidcStore;
  clock: Clock;
  provider: () => Promise<Provider>;
  /** The look of the consent and expired pages (server/http/pages). */
  look: PageLook;
  /** Whose account the consent page names. */
  users: Pick<UserStore, 'findById'>;
  /** Whether a person holds a factor that gives a level (reachableLevel.ts). */
  canReach: CanReach;
}

/** When the person last proved who they are, in ms: a sign-in or a second-factor verification. */
const latestAuthentication = (view: SessionView) => Math.max(view.authenticatedAt ?? 0, view.stepUpAt ?? 0);

/** Asks the sign-in or verify page to ask again of a person already signed in. */
const again = (url: string) => `${url}&again=1`;

export function interactionRoutes(deps: InteractionRouteDeps): Router {
  const router = new Router({ prefix: `${deps.prefix}/interaction` });
  const back = (uid: string) => encodeURIComponent(`${deps.issuer}/interaction/${uid}`);
  const signIn = (uid: string) => `${deps.signInUrl}?rd=${back(uid)}`;
  // Keyward's second-step page, beside the sign-in page: it verifies a key or code for the
  // signed-in (or half signed-in) person and comes back here.
  const verify = (uid: string) => `${new URL('verify', deps.signInUrl).href}?rd=${back(uid)}`;

  async function load(ctx: Context): Promise<{ provider: Provider; interaction: Interaction } | null> {
    const provider = await deps.provider();
    try {
      const interaction = await provider.interactionDetails(ctx.req, ctx.res);
      if (interaction.uid !== ctx.params['uid']) return null;
      return { provider, interaction };
    } catch {
      return null;
    }
  }

  /** Saves the outcome and sends the browser back to the authorization endpoint. */
  async function finish(ctx: Context, interaction: Interaction, result: Record<string, unknown>) {
    interaction.result = result;
    await interaction.save(remaining(interaction));
    ctx.status = 303;
    ctx.redirect(interaction.returnTo);
  }

  router.get('/:uid', async (ctx) => {
    const loaded = await load(ctx);
    if (!loaded) return expired(ctx);
    const { provider, interaction } = loaded;
    const view = deps.access.view(ctx);
    const client = await provider.Client.find(String(interaction.params['client_id']));
    if (!client) return expired(ctx);
    const level = sessionLevel(view);
    // Fully signed in (at any level): who the person is to the client.
    const userId = level > 0 ? view.userId : null;

    if (interaction.prompt.name === 'consent') {
      if (!userId || interaction.session?.accountId !== userId) return expired(ctx);
      // Keyward's own apps are granted what they ask without a page (offline_access too,
      // which always comes through here: offlineAccessPrompt.ts).
      if (client['first_party'] === true) return finish(ctx, interaction, { consent: { grantId: await grantAsked(provider, interaction, userId) } });
      // The page's form leads, through redirects, to the client: Chrome checks form-action there too.
      const origins = [...new Set((client.redirectUris ?? []).map((u) => new URL(u).origin))];
      const csp = ctx.response.get('Content-Security-Policy');
      if (csp) ctx.set('Content-Security-Policy', csp.replace(/form-action [^;]*/, `form-action 'self' ${origins.join(' ')}`));
      ctx.type = 'html';
      const user = await deps.users.findById(userId);
      if (!user) return expired(ctx);
      ctx.body = consentPage(ctx, {
        uid: interaction.uid,
        prefix: deps.prefix,
        clientName: client.clientName ?? client.clientId,
        username: user.username,
        requested: scopesAsked(interaction.params),
        supported: OIDC_SCOPES,
        look: deps.look,
      });
      return;
    }

    const state = keywardResult(interaction.result);
    /**
     * Sends the person to a Keyward page that returns here. Their latest authentication is
     * noted the first time: whatever they prove there afterwards is a new sign-in, which is
     * what prompt=login and max_age want.
     */
    const sendTo = async (url: string, next: KeywardResult = {}) => {
      interaction.result = { keyward: { ...state, reauthFrom: state.reauthFrom ?? latestAuthentication(view), ...next } };
      await interaction.save(remaining(interaction));
      ctx.redirect(url);
    };

    // prompt=login / max_age: the person proves it is them again inside the Keyward session
    // they have (verify page, or the sign-in page without a second factor). Nothing is ended,
    // so the other applications signed in through it keep their tokens, and a person who gives
    // up is still signed in as before; the client then gets login_required.
    if (userId) {
      const maxAge = interaction.params['max_age'] === undefined ? null : Number(interaction.params['max_age']);
      const tooOld = maxAge !== null && Math.floor(deps.clock.now() / 1000) - authTimeFor(view) > maxAge;
      // A device sign-in too: its user code only says which device, never that the person
      // in front of this browser started it, so they confirm with a key tap or code.
      const device = (interaction as Interaction & { deviceCode?: string }).deviceCode !== undefined;
      const wantsFresh = interaction.prompt.reasons.includes('login_prompt') || tooOld || device;
      if (wantsFresh && state.reauthFrom === undefined) {
        return sendTo((await deps.access.hasSecondFactor(userId)) ? again(verify(interaction.uid)) : again(signIn(interaction.uid)));
      }
      if (wantsFresh && latestAuthentication(view) <= state.reauthFrom!) {
        return finish(ctx, interaction, { error: 'login_required', error_description: 'the person did not sign in again' });
      }
    }

    // A higher level than the session has (a binding floor, or a level acr_values prefers, or a
    // second step still pending): the person verifies a factor on Keyward's verify page, a
    // step-up of the same session, not a new sign-in. Offered once per authorization and only
    // for a level one of their factors can give, so it always ends.
    const request = acrRequest(interaction.params, client['require_aal']);
    const pending = view.status === 'mfa_required' && view.userId;
    if (!state.steppedUp && view.userId && (userId || pending)) {
      const aim = await highestReachable(view.userId, Math.max(level + 1, 2), Math.max(request.wanted, pending ? 2 : 0));
      if (aim !== null && aim >= request.floor) return sendTo(level >= 2 ? again(verify(interaction.uid)) : verify(interaction.uid), { steppedUp: true });
    }
    if (!userId || level === 0) return sendTo(signIn(interaction.uid));
    if (level < request.floor) {
      return finish(ctx, interaction, {
        error: 'unmet_authentication_requirements',
        error_description: request.floor > 2 ? 'this sign-in needs an attested hardware security key, and the account has none' : 'this sign-in needs a second factor (security key or authenticator app), and the account has none',
      });
    }

    if (interaction.session?.accountId && interaction.session.accountId !== userId) {
      // The provider's session is someone else's (the person signed in to Keyward as another
      // user): it ends here, so the authorization resumes on a new one for this user.
      if (interaction.session.cookie) await deps.store.destroy('Session', interaction.session.cookie);
      delete interaction.session;
    } else if (interaction.session?.cookie && !(await deps.store.find('Session', interaction.session.cookie, deps.clock.now()))) {
      // It ended with a Keyward sign-out meanwhile (another tab): resume on a new one.
      delete interaction.session;
    }
    return finish(ctx, interaction, {
      keyward: { ...state, settled: true },
      login: { accountId: userId, acr: acrToIssue(level, request), amr: amrFor(view), ts: authTimeFor(view), remember: false },
    });
  });

  /** The highest level from `high` down to `low` one of the person's factors can give, or null. */
  async function highestReachable(userId: string, low: number, high: number): Promise<number | null> {
    for (let l = Math.min(high, 3); l >= low; l--) if (await deps.canReach(userId, l)) return l;
    return null;
  }

  router.post('/:uid/consent', bodyParser({ enableTypes: ['form'], formLimit: '2kb' }), async (ctx) => {
    const loaded = await load(ctx);
    if (!loaded) return expired(ctx);
    const { provider, interaction } = loaded;
    const userId = deps.access.view(ctx).userId;
    const accountId = interaction.session?.accountId;
    if (interaction.prompt.name !== 'consent' || !userId || accountId !== userId) return expired(ctx);
    if ((ctx.request.body as Record<string, unknown> | undefined)?.['decision'] !== 'allow') {
      return finish(ctx, interaction, { error: 'access_denied', error_description: 'the person did not allow it' });
    }
    return finish(ctx, interaction, { consent: { grantId: await grantAsked(provider, interaction, accountId) } });
  });

  /** Grants what the interaction found missing (scopes, claims); returns the grant's id. */
  async function grantAsked(provider: Provider, interaction: Interaction, accountId: string): Promise<string> {
    const clientId = String(interaction.params['client_id']);
    const grant = (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    return grant.save();
  }

  function expired(ctx: Context) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = expiredPage(ctx, deps.look);
  }

  return router;
}
