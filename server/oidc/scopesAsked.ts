// What an authorization asks for, as the consent page names it: the scope parameter, plus the
// scope of each claim asked for by name in the claims parameter (claims={"userinfo":{"email":null}}
// gets the e-mail address as surely as scope=email, and consent grants both alike).
import { scopeOfClaim } from './claims.js';

export function scopesAsked(params: Record<string, unknown>): string {
  const scopes = String(params['scope'] ?? '').split(' ').filter(Boolean);
  for (const claim of claimsNamed(params['claims'])) {
    const scope = scopeOfClaim(claim);
    if (scope && !scopes.includes(scope)) scopes.push(scope);
  }
  return scopes.join(' ');
}

/** The claim names under id_token and userinfo; oidc-provider has checked the parameter is JSON by now. */
function claimsNamed(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return ['id_token', 'userinfo'].flatMap((use) => {
      const part = parsed?.[use];
      return part && typeof part === 'object' ? Object.keys(part) : [];
    });
  } catch {
    return [];
  }
}
