// oidc-provider keeps offline_access in an authorization request only when its prompt
// includes consent (OpenID Connect Core §11), and drops it silently otherwise: a relying
// party that asks for offline_access without prompt=consent (Authlib, most) gets no
// offline_access, and its refresh, which names the scope again, fails with invalid_scope.
// §11 allows other conditions: Keyward's is the consent interaction itself. An authorization
// request asking offline_access is given prompt=consent, so the provider keeps the scope and
// goes through Keyward's consent step, which grants it silently to first-party clients and
// shows it on the consent page to the others (interactionRoutes.ts). prompt=none is left as it
// is (it may show nothing, so it may not have offline_access).

/** The authorization request's query with consent added to its prompt, or null when it stays as it is. */
export function withOfflineConsent(search: string): string | null {
  const params = new URLSearchParams(search);
  if (!(params.get('scope') ?? '').split(' ').includes('offline_access')) return null;
  const prompt = (params.get('prompt') ?? '').split(' ').filter(Boolean);
  if (prompt.includes('consent') || prompt.includes('none')) return null;
  params.set('prompt', [...prompt, 'consent'].join(' '));
  return params.toString();
}
