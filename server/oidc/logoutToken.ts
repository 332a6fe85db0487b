// A Logout Token (OpenID Connect Back-Channel Logout 1.0 §2.4), made by the provider's own
// IdToken model so it is signed like the client's ID tokens (its algorithm, the current key
// of the ring, kid in the header) with typ logout+jwt, iss, aud, iat, exp and no nonce.
import type Provider from 'oidc-provider';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

interface IdTokenLike {
  mask: Record<string, null>;
  set(key: string, value: unknown): void;
  issue(opts: { use: 'logout' }): Promise<string>;
}

export async function logoutToken(provider: Provider, client: unknown, who: { sub: string; sid: string; jti: string }): Promise<string> {
  const IdToken = provider.IdToken as unknown as new (claims: { sub: string }, opts: { client: unknown; ctx: undefined }) => IdTokenLike;
  const token = new IdToken({ sub: who.sub }, { client, ctx: undefined });
  // sub is the only account claim a logout token carries.
  token.mask = { sub: null };
  token.set('events', { [EVENT]: {} });
  token.set('jti', who.jti);
  token.set('sid', who.sid);
  return token.issue({ use: 'logout' });
}
