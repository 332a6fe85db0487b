// oidc-provider configured for Keyward: authorization code with PKCE, rotating refresh tokens,
// revocation, introspection, userinfo, RP-initiated logout, client_credentials and the device
// flow for the clients registered for them; nothing else (no implicit flow,
// no password grant, no dynamic registration). Built from one key set: see oidcKeys.ts for
// how a new provider is built when Keyward's signing keys rotate.
import type Provider from 'oidc-provider';
import type { ClientMetadata, Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider';
import { Provider as OidcProvider } from './oidcProviderLibrary.js';
import type { Clock } from '../clock.js';
import type { NoticeAddressStore, OidcStore, SigningAlg, UserStore } from '../storage/port.js';
import { createOidcAdapterFactory } from './oidcAdapter.js';
import { findAccount, OIDC_SCOPES, SCOPE_CLAIMS } from './claims.js';
import type { AcrValue } from './authLevel.js';
import { createInteractionPolicy } from './interactionPolicy.js';
import type { RequestScope } from './requestScope.js';
import { providerPages } from './oidcPages.js';
import type { PageLook } from '../http/pages/serverPage.js';
import type { devicePages } from './devicePages.js';

type DevicePages = ReturnType<typeof devicePages>;

export interface OidcProviderDeps {
  issuer: string;
  /** Private JWKs, the signer first. */
  keys: JWK[];
  store: OidcStore;
  users: UserStore;
  /** Confirmed notice addresses: the email claim. */
  addresses: NoticeAddressStore;
  clock: Clock;
  clients: ClientMetadata[];
  /** The API scopes of clients registered with the CLI (storedClientScopes.ts). */
  storedScopes: string[];
  cookieKeys: string[];
  trustProxy: boolean;
  sessionMaxAgeSeconds: number;
  scope: RequestScope;
  /** Where the provider sends a person whose authorization needs Keyward: the interaction route. */
  interactionPath: (uid: string) => string;
  /** The look of the provider's pages (server/http/pages). */
  look: PageLook;
  /** What a client's tokens are signed with when it names no algorithm (OIDC_DEFAULT_ALG). */
  defaultAlg: SigningAlg;
  /** The acr values a sign-in here can reach (authLevel.ts supportedAcrValues). */
  acrValues: AcrValue[];
  /** The device sign-in pages (devicePages.ts). */
  devicePages: DevicePages;
}

// The key ring holds a key of each (createSigningKeyRing.ts). RS256 is what OpenID Connect
// Discovery requires and what most relying parties verify by default; ES256 for those that
// ask for it (smaller, faster tokens).
const SIGNING_ALGS: SigningAlg[] = ['RS256', 'ES256'];

export function createOidcProvider(deps: OidcProviderDeps): Provider {
  const { renderError, logoutSource, postLogoutSuccessSource } = providerPages(deps.look);
  const configuration: Configuration = {
    adapter: createOidcAdapterFactory(deps.store, deps.clock, deps.scope),
    clients: deps.clients,
    jwks: { keys: deps.keys },
    findAccount: findAccount({ users: deps.users, addresses: deps.addresses }),
    claims: SCOPE_CLAIMS,
    // Besides the OpenID scopes, those clients are registered for (a service's API scopes for
    // client_credentials): known here, each is given only to the clients that name it.
    scopes: [...new Set([...OIDC_SCOPES, ...deps.clients.flatMap((c) => String(c.scope ?? '').split(' ').filter(Boolean)), ...deps.storedScopes])],
    acrValues: deps.acrValues,
    responseTypes: ['code'],
    // Exact redirect URIs, always named in the request.
    allowOmittingSingleRegisteredRedirectUri: false,
    // Profile claims in the ID token too: many relying parties (oauth2-proxy) read only it.
    conformIdTokenClaims: false,
    // No client_secret_jwt: stored secrets are hashes (clientSecrets.ts), never keys.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: {
      idTokenSigningAlgValues: [...SIGNING_ALGS],
      userinfoSigningAlgValues: [...SIGNING_ALGS],
      introspectionSigningAlgValues: [...SIGNING_ALGS],
      authorizationSigningAlgValues: [...SIGNING_ALGS],
      clientAuthSigningAlgValues: [...SIGNING_ALGS],
    },
    clientDefaults: { id_token_signed_response_alg: deps.defaultAlg, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] },
    // Front-Channel Logout 1.0 is Keyward's own (frontchannelLogout.ts): oidc-provider 9 has none.
    extraClientMetadata: { properties: ['first_party', 'require_aal', 'introspects', 'frontchannel_logout_uri', 'frontchannel_logout_session_required'] },
    discovery: { claim_types_supported: ['normal'], frontchannel_logout_supported: true, frontchannel_logout_session_supported: true },
    pkce: { required: (_ctx, client) => client.tokenEndpointAuthMethod === 'none' },
    features: {
      devInteractions: { enabled: false },
      // A client may inspect and revoke its own tokens; a resource server may also inspect
      // the access tokens of the clients its registration names (loadClients.ts).
      introspection: { enabled: true, allowedPolicy: ownOrIntrospectedToken },
      revocation: { enabled: true, allowedPolicy: ownToken },
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: true },
      // The claims parameter: an essential acr claim is how a client makes a level binding
      // (acr_values is only a preference, OIDC Core §5.5.1.1).
      claimsParameter: { enabled: true },
      // Signed userinfo and introspection answers, for the clients whose metadata asks for them
      // (userinfo_signed_response_alg, introspection_signed_response_alg); others get JSON.
      jwtUserinfo: { enabled: true },
      jwtIntrospection: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      // Services acting as themselves, for the clients registered with the grant (loadClients.ts).
      clientCredentials: { enabled: true },
      // Command lines and devices without a browser (RFC 8628): the person enters the code on
      // Keyward's page (devicePages.ts, deviceEntryGuard.ts); slow_down is slowDown.ts.
      deviceFlow: { enabled: true, charset: 'base-20', mask: '****-****', ...deps.devicePages },
      // Logout tokens go out through Keyward's queue (backchannelLogout.ts, keywardSid.ts).
      backchannelLogout: { enabled: true },
    },
    // A refresh token is used once: each use returns a new one, and presenting a used one
    // again revokes the whole grant (its access and refresh tokens).
    rotateRefreshToken: true,
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      // A service's token: as long as a person's access token, and it asks again (no refresh).
      ClientCredentials: 3600,
      // The time a person has to enter a device's code (RFC 8628's example: 10 minutes).
      DeviceCode: 600,
      // Within the time Keyward keeps a retired signing key published (createProtectModule.ts).
      IdToken: 900,
      RefreshToken: 14 * 86400,
      Grant: 14 * 86400,
      Interaction: 3600,
      Session: deps.sessionMaxAgeSeconds,
    },
    cookies: {
      keys: deps.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    interactions: {
      policy: createInteractionPolicy(deps.scope),
      url: (_ctx, interaction) => deps.interactionPath(interaction.uid),
    },
    loadExistingGrant,
    renderError,
  };
  const provider = new OidcProvider(deps.issuer, configuration);
  provider.proxy = deps.trustProxy;
  return provider;
}

const ownToken = (_ctx: KoaContextWithOIDC, client: { clientId: string }, token: { clientId?: string | undefined }) => token.clientId === client.clientId;

// Access tokens only: a refresh token is its client's own secret, never shown to an API.
const ACCESS_TOKEN_KINDS = new Set(['AccessToken', 'ClientCredentials']);

const ownOrIntrospectedToken = (ctx: KoaContextWithOIDC, client: { clientId: string } & Record<string, unknown>, token: { clientId?: string | undefined; kind: string }) => {
  if (ownToken(ctx, client, token)) return true;
  const introspects = client['introspects'];
  return ACCESS_TOKEN_KINDS.has(token.kind) && token.clientId !== undefined && Array.isArray(introspects) && introspects.includes(token.clientId);
};

/**
 * The grant a request may use without asking: the one the consent screen just made, or the
 * client's grant in this session; a first-party client gets the requested scopes granted
 * silently (Keyward's own apps need no consent screen).
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client!;
  const session = oidc.session!;
  const grantId = (oidc.result?.['consent'] as { grantId?: string } | undefined)?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (client['first_party'] !== true || !session.accountId) return existing;
  const grant = existing?.accountId === session.accountId ? existing : new oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  // Claims asked by name (the claims parameter) are granted like the scopes that release them.
  if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
  await grant.save();
  return grant;
}
