// Logout called by a relying party's server (oauth2-proxy's --backend-logout-url): a request
// to the end-session endpoint that carries no Keyward session cookie but an ID token
// (id_token_hint) the provider issued. Its sid is the Keyward session it was issued in
// (keywardSid.ts), its sub the person: that session ends, like a sign-out (every grant made in
// it revoked, every client with a back-channel URI told). The ID token is checked as the
// provider checks an id_token_hint (its signature by Keyward's keys, issuer, audience; expired
// ones count, as OpenID Connect RP-Initiated Logout allows). Holding someone's ID token lets
// one sign them out, nothing more.
import { decodeJwt } from 'jose';
import type Provider from 'oidc-provider';
import type { SessionStore } from '../storage/port.js';

interface IdTokenModel {
  validate(jwt: string, client: unknown): Promise<{ payload: { sub?: unknown; sid?: unknown } }>;
}

/** The client an ID token was issued to (aud), read before its signature is checked against it. */
function audienceOf(jwt: string): string | null {
  try {
    const { aud } = decodeJwt(jwt);
    const first: unknown = Array.isArray(aud) ? aud[0] : aud;
    return typeof first === 'string' ? first : null;
  } catch {
    return null;
  }
}

/** Ends the Keyward session the hint names: whose it was, or null when the hint is not valid or names none live. */
export async function endSessionByIdToken(provider: Provider, hint: string, sessions: Pick<SessionStore, 'destroyByPublicId'>): Promise<string | null> {
  const clientId = audienceOf(hint);
  if (!clientId) return null;
  const client = await provider.Client.find(clientId);
  if (!client) return null;
  let claims;
  try {
    claims = (await (provider.IdToken as unknown as IdTokenModel).validate(hint, client)).payload;
  } catch {
    return null;
  }
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
  return (await sessions.destroyByPublicId(claims.sub, claims.sid)) ? claims.sub : null;
}
