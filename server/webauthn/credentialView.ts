import type { CredentialRecord } from '../storage/port.js';

/** What the API shows of a stored credential (never the public key or counter). */
export function credentialView(c: CredentialRecord) {
  return {
    id: c.id,
    name: c.name,
    createdAt: new Date(c.createdAt).toISOString(),
    lastUsedAt: c.lastUsedAt === null ? null : new Date(c.lastUsedAt).toISOString(),
    transports: c.transports,
    deviceType: c.deviceType,
    backedUp: c.backedUp,
    aaguid: c.aaguid,
    flagged: c.flagged,
  };
}

export type CredentialView = ReturnType<typeof credentialView>;
