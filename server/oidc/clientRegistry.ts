// Relying parties registered with `keyward oidc clients add|list|remove`: kept in the
// OpenID Connect store as oidc-provider client metadata (kind "Client", no expiry), so every
// instance sees them at once (the adapter's Client lookups read them). The secret is made
// here, shown once by the CLI, and stored only as its hash.
import type { ClientMetadata } from 'oidc-provider';
import type { Random } from '../clock.js';
import type { OidcStore } from '../storage/port.js';
import { newClientSecret } from './clientSecrets.js';
import { ClientInput, toClientMetadata } from './loadClients.js';

const KIND = 'Client';

export interface ClientSummary {
  clientId: string;
  name: string | null;
  public: boolean;
  redirectUris: string[];
  firstParty: boolean;
  requireAal: number;
}

export function createClientRegistry(deps: { store: OidcStore; random: Random; mfaRequired: boolean; fileClientIds: string[] }) {
  const { store } = deps;
  return {
    /** Registers a client; returns its new secret (confidential clients) or null (public). */
    async add(input: Record<string, unknown>): Promise<{ ok: true; secret: string | null } | { ok: false; problem: string }> {
      const secret = input['token_endpoint_auth_method'] === 'none' ? null : newClientSecret(deps.random);
      const parsed = ClientInput.safeParse({ ...input, client_secret: secret ?? undefined });
      if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'client'}: ${i.message}`).join('; ') };
      const c = parsed.data;
      if (deps.fileClientIds.includes(c.client_id) || (await store.find(KIND, c.client_id, 0))) {
        return { ok: false, problem: `client_id ${c.client_id} is taken` };
      }
      const metadata = toClientMetadata(c, { mfaRequired: deps.mfaRequired });
      await store.upsert({ kind: KIND, id: c.client_id, payload: metadata as Record<string, unknown>, grantId: null, uid: null, userCode: null, expiresAt: null });
      return { ok: true, secret };
    },
    async list(): Promise<ClientSummary[]> {
      return (await store.listKind(KIND)).map((r) => {
        const m = r.payload as ClientMetadata;
        return {
          clientId: r.id,
          name: typeof m.client_name === 'string' ? m.client_name : null,
          public: m.token_endpoint_auth_method === 'none',
          redirectUris: (m.redirect_uris ?? []) as string[],
          firstParty: m['first_party'] === true,
          requireAal: Number(m['require_aal'] ?? 1),
        };
      });
    },
    /** Removes a client and everything issued to it is refused from then on (its grants stay until they expire). */
    async remove(clientId: string): Promise<boolean> {
      if (!(await store.find(KIND, clientId, 0))) return false;
      await store.destroy(KIND, clientId);
      return true;
    },
  };
}
