// The API scopes that clients registered with `keyward oidc clients add --scope` are allowed,
// sorted so that the provider holder sees the same list as "unchanged" on every read.
import type { OidcStore } from '../storage/port.js';
import { OIDC_SCOPES } from './claims.js';

export async function storedClientScopes(store: Pick<OidcStore, 'listKind'>): Promise<string[]> {
  const scopes = new Set<string>();
  for (const { payload } of await store.listKind('Client')) {
    for (const s of String(payload['scope'] ?? '').split(' ')) if (s && !(OIDC_SCOPES as readonly string[]).includes(s)) scopes.add(s);
  }
  return [...scopes].sort();
}
