// The grants a Keyward session's end revokes, as both stores report them: one entry per grant,
// whose and which client's it was read from the Grant record itself (its payload, as stored).
import type { RevokedGrant } from './port.js';

export interface TaggedRecord {
  kind: string;
  grantId: string;
  /** The payload as stored: JSON text. */
  payload: string;
  keywardSession: string | null;
}

export function revokedGrants(tagged: TaggedRecord[]): RevokedGrant[] {
  const byId = new Map<string, RevokedGrant>();
  for (const r of tagged) {
    const known = byId.get(r.grantId) ?? { grantId: r.grantId, clientId: null, accountId: null, keywardSession: r.keywardSession };
    if (r.kind === 'Grant') {
      const p = JSON.parse(r.payload) as { clientId?: unknown; accountId?: unknown };
      if (typeof p.clientId === 'string') known.clientId = p.clientId;
      if (typeof p.accountId === 'string') known.accountId = p.accountId;
      known.keywardSession = r.keywardSession;
    }
    byId.set(r.grantId, known);
  }
  return [...byId.values()];
}
