// Where the provider sends a person when an authorization needs them (the interaction):
// Keyward's own session decides. Signed in at the level the client needs -> the login is
// finished with the Keyward user, acr, amr and auth_time; not signed in (or prompt=login /
// max_age asks for a new sign-in) -> Keyward's sign-in page, which returns here after; signed
// in below the level the client needs -> Keyward's verify page (step-up), which returns here
// after; a client that is not first-party -> a consent page.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { SessionAccess } from '../http/sessionAccess.js';
import { endSession } from '../http/sessionMiddleware.js';
import type { OidcStore } from '../storage/port.js';
import type { Clock } from '../clock.js';
import { acrFor, amrFor, authTimeFor, requiredAal, signedInAt } from './authLevel.js';
import { consentPage, expiredPage } from './interactionPages.js';

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
  /** The built client's stylesheet for the consent page (clientStylesheet.ts), or null. */
  stylesheet: string | null;
}

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
    const needed = requiredAal(interaction.params['acr_values'], client['require_aal']);
    const userId = signedInAt(view, needed);

    if (interaction.prompt.name === 'consent') {
      if (!userId || interaction.session?.accountId !== userId) return expired(ctx);
      // The page's form leads, through redirects, to the client: Chrome checks form-action there too.
      const origins = [...new Set((client.redirectUris ?? []).map((u) => new URL(u).origin))];
      const csp = ctx.response.get('Content-Security-Policy');
      if (csp) ctx.set('Content-Security-Policy', csp.replace(/form-action [^;]*/, `form-action 'self' ${origins.join(' ')}`));
      ctx.type = 'html';
      ctx.body = consentPage({ uid: interaction.uid, prefix: deps.prefix, clientName: client.clientName ?? client.clientId, scopes: String(interaction.params['scope'] ?? ''), stylesheet: deps.stylesheet });
      return;
    }

    const maxAge = interaction.params['max_age'] === undefined ? null : Number(interaction.params['max_age']);
    const tooOld = maxAge !== null && Math.floor(deps.clock.now() / 1000) - authTimeFor(view) > maxAge;
    const wantsFresh = interaction.prompt.reasons.includes('login_prompt') || tooOld;
    const sentToSignIn = (interaction.result as { keyward?: { sentToSignIn?: boolean } } | undefined)?.keyward?.sentToSignIn === true;
    const signedIn = view.status === 'authenticated' && view.userId;
    // A second factor the session lacks (acr_values=aal2 or the client's floor on an aal 1
    // session, or a second step still pending): the person verifies it on Keyward's verify
    // page, a step-up of the same session, not a new sign-in. Only with a factor to use.
    const stepUp = !wantsFresh && !userId && view.userId && (view.status === 'authenticated' || view.status === 'mfa_required');
    if (stepUp && (await deps.access.hasSecondFactor(view.userId!))) return ctx.redirect(verify(interaction.uid));
    // prompt=login / max_age: the Keyward session is ended and the person signs in again; an
    // authenticated session seen after that is necessarily the new sign-in.
    const reauthenticate = signedIn && wantsFresh && !sentToSignIn;
    if (reauthenticate) {
      // Ending the Keyward session ends the provider session too (endOidcWithSession.ts): the
      // authorization resumes on a new one, made for the new sign-in.
      await endSession(ctx);
      delete interaction.session;
      interaction.result = { keyward: { sentToSignIn: true } };
      await interaction.save(remaining(interaction));
      return ctx.redirect(signIn(interaction.uid));
    }
    if (signedIn && !userId) {
      return finish(ctx, interaction, {
        error: 'unmet_authentication_requirements',
        error_description: 'this sign-in needs a second factor (security key or authenticator app), and the account has none',
      });
    }
    if (!userId) return ctx.redirect(signIn(interaction.uid));

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
      login: { accountId: userId, acr: acrFor(view), amr: amrFor(view), ts: authTimeFor(view), remember: false },
    });
  });

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
    const clientId = String(interaction.params['client_id']);
    const grant = (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
    const details = interaction.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
    if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
    const grantId = await grant.save();
    return finish(ctx, interaction, { consent: { grantId } });
  });

  function expired(ctx: Context) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = expiredPage(deps.stylesheet);
  }

  return router;
}
