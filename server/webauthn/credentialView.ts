import type { CredentialRecord } from '../storage/port.js';
import type { KeyModel } from '../mds/createMdsService.js';

/**
 * What the API shows of a stored credential (never the public key or counter). `model`: the
 * key model's name (FIDO metadata, or the well-known list), null when unknown; `modelIcon`:
 * the blob's icon for it (a data: URL), null when none.
 */
export function credentialView(c: CredentialRecord, model: KeyModel = { name: null, icon: null }) {
  return {
    id: c.id,
    name: c.name,
    model: model.name,
    modelIcon: model.icon,
    createdAt: new Date(c.createdAt).toISOString(),
    lastUsedAt: c.lastUsedAt === null ? null : new Date(c.lastUsedAt).toISOString(),
    transports: c.transports,
    deviceType: c.deviceType,
    backedUp: c.backedUp,
    aaguid: c.aaguid,
    flagged: c.flagged,
    /** What attestation proved at registration (ATTESTATION_POLICY=mds), else null. */
    attestation: c.attestation && { certification: c.attestation.certification, hardwareBound: c.attestation.hardwareBound },
    /** Set when the FIDO metadata reported the key's model compromised or revoked. */
    modelRevokedBy: c.modelRevokedBy,
  };
}

export type CredentialView = ReturnType<typeof credentialView>;
