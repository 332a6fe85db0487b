// oidc-provider takes its keys once, at construction, as private JWKs (it signs with the
// first key that fits and publishes them all). Keyward's signing keys rotate (and are shared
// by every instance through the database), so the provider is rebuilt whenever the key set
// or its signer changes: the holder re-reads the ring at most every REFRESH_MS and at the
// moment a pre-published key starts signing. A provider keeps no state of its own between
// requests (everything lives in the store), so swapping it is invisible to clients; requests
// already running finish on the one they started with.
import type Provider from 'oidc-provider';
import type { JWK } from 'oidc-provider';
import type { Clock } from '../clock.js';
import type { SigningKeyRing } from '../protect/createSigningKeyRing.js';

const REFRESH_MS = 60_000;

export function createProviderHolder(deps: {
  ring: SigningKeyRing;
  clock: Clock;
  /**
   * The API scopes of clients registered with the CLI (kept in the database): the provider
   * knows its scopes at construction too, so a new one rebuilds it like a new key does, and
   * every instance serves it within REFRESH_MS.
   */
  storedScopes: () => Promise<string[]>;
  build: (keys: JWK[], storedScopes: string[]) => Promise<Provider>;
}) {
  let current: { version: string; provider: Provider; checkAt: number } | null = null;
  let pending: Promise<Provider> | null = null;

  async function refresh(now: number): Promise<Provider> {
    const [set, scopes] = await Promise.all([deps.ring.privateKeySet(now), deps.storedScopes()]);
    const version = `${set.keys.map((k) => k.kid).join(',')} ${scopes.join(' ')}`;
    const checkAt = Math.min(now + REFRESH_MS, set.changesAt);
    if (current?.version === version) {
      current.checkAt = checkAt;
      return current.provider;
    }
    current = { version, provider: await deps.build(set.keys as JWK[], scopes), checkAt };
    return current.provider;
  }

  return {
    /** The provider for now, rebuilt if Keyward's signing keys changed. */
    async current(): Promise<Provider> {
      const now = deps.clock.now();
      if (current && now < current.checkAt) return current.provider;
      pending ??= refresh(now).finally(() => {
        pending = null;
      });
      return pending;
    },
  };
}
